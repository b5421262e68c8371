namespace Oriel.Integration.Tests.Ssh;

/// <summary>
/// Runs its tests alone, after the parallel ones: they measure the whole process (managed memory, threads), which
/// other tests running meanwhile would disturb.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SshNetAloneCollection
{
    public const string Name = "SSH.NET measurements (alone)";
}
