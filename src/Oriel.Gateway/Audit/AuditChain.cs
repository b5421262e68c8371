using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Oriel.Gateway.Storage;

namespace Oriel.Gateway.Audit;

/// <summary>
/// The audit hash chain. Row n stores hash_n = SHA-256("oriel-audit-v1" || hash_(n-1) || seq || time || fields),
/// with hash_0 = 32 zero bytes, seq and time (Unix ms) as big-endian int64, and each text field as a presence byte
/// then a big-endian uint32 UTF-8 length then the bytes (kind, actor, target, client ip, session id, details JSON).
/// Changing, inserting or deleting any row breaks every later link. Truncating the newest rows is not
/// detectable from the chain alone: export the head hash (<c>oriel audit verify</c> prints it) to anchor it.
/// </summary>
public static class AuditChain
{
    public const int HashLength = 32;

    private static readonly byte[] Domain = "oriel-audit-v1"u8.ToArray();

    public static byte[] Genesis => new byte[HashLength];

    public static byte[] ComputeHash(ReadOnlySpan<byte> prevHash, long sequence, long timeUnixMs, AuditEvent e, string detailsJson)
    {
        ArgumentNullException.ThrowIfNull(e);
        using var h = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        h.AppendData(Domain);
        h.AppendData(prevHash);
        Span<byte> num = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(num, sequence);
        h.AppendData(num);
        BinaryPrimitives.WriteInt64BigEndian(num, timeUnixMs);
        h.AppendData(num);
        AppendField(h, e.Kind);
        AppendField(h, e.Actor);
        AppendField(h, e.Target);
        AppendField(h, e.ClientIp);
        AppendField(h, e.SessionId);
        AppendField(h, detailsJson);
        return h.GetHashAndReset();
    }

    /// <summary>Checks one row against the previous row's hash (or <see cref="Genesis"/>) and sequence.</summary>
    public static string? Check(AuditRecord row, ReadOnlySpan<byte> expectedPrevHash, long expectedSequence)
    {
        ArgumentNullException.ThrowIfNull(row);
        if (row.Sequence != expectedSequence)
        {
            return $"expected sequence {expectedSequence}, found {row.Sequence} (a row was removed or inserted)";
        }

        if (!row.PrevHash.AsSpan().SequenceEqual(expectedPrevHash))
        {
            return "previous-hash link does not match the previous row";
        }

        var computed = ComputeHash(row.PrevHash, row.Sequence, row.Event.Time.ToUnixTimeMilliseconds(), row.Event, row.DetailsJson);
        return CryptographicOperations.FixedTimeEquals(computed, row.Hash) ? null : "row content does not match its hash";
    }

    private static void AppendField(IncrementalHash h, string? value)
    {
        Span<byte> head = stackalloc byte[5];
        if (value is null)
        {
            head[0] = 0;
            h.AppendData(head[..1]);
            return;
        }

        var bytes = Encoding.UTF8.GetBytes(value);
        head[0] = 1;
        BinaryPrimitives.WriteUInt32BigEndian(head[1..], (uint)bytes.Length);
        h.AppendData(head);
        h.AppendData(bytes);
    }
}
