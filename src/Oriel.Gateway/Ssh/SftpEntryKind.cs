namespace Oriel.Gateway.Ssh;

public enum SftpEntryKind
{
    File,
    Directory,
    SymbolicLink,
    Other,
}
