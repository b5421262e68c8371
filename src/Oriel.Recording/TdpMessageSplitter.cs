using Oriel.Tdp;
using Oriel.Wire;

namespace Oriel.Recording;

/// <summary>
/// Splits the payload of a <c>tdp</c> recording's ServerData, ClientData or Keyframe record (its messages part)
/// into whole TDP messages, using the codec's own framing (<see cref="TdpCodec.TryGetMessageLength"/>). A
/// payload that does not end on a message boundary, or that holds an unknown type or an over-cap length, throws
/// <see cref="DecodeException"/> with the offset inside the payload. The messages are only framed here; decode
/// each with <see cref="TdpCodec.Decode"/> when its fields are needed.
/// </summary>
public static class TdpMessageSplitter
{
    private const string What = "TDP recording payload";

    /// <summary>The messages of <paramref name="payload"/> as slices of it, in order (at least one).</summary>
    public static IReadOnlyList<ReadOnlyMemory<byte>> Split(ReadOnlyMemory<byte> payload)
    {
        var messages = new List<ReadOnlyMemory<byte>>();
        var at = 0;
        foreach (var message in Enumerate(payload.Span))
        {
            messages.Add(payload.Slice(at, message.Length));
            at += message.Length;
        }
        return messages;
    }

    /// <summary>The number of messages in <paramref name="payload"/>, checking that it splits into whole messages.</summary>
    public static int Count(ReadOnlySpan<byte> payload)
    {
        var n = 0;
        foreach (var _ in Enumerate(payload)) n++;
        return n;
    }

    /// <summary>
    /// The messages of <paramref name="payload"/> one at a time, without allocating (<c>foreach</c> over the
    /// result). An empty payload throws: records never hold zero messages.
    /// </summary>
    public static Enumerator Enumerate(ReadOnlySpan<byte> payload) => new(payload);

    /// <summary>Walks a payload message by message; <see cref="Offset"/> is where <see cref="Current"/> starts.</summary>
    public ref struct Enumerator
    {
        private readonly ReadOnlySpan<byte> _payload;
        private int _next;

        internal Enumerator(ReadOnlySpan<byte> payload)
        {
            if (payload.IsEmpty) throw new DecodeException(What, 0, "no TDP message");
            _payload = payload;
            _next = 0;
            Offset = 0;
            Current = default;
        }

        /// <summary>The current message.</summary>
        public ReadOnlySpan<byte> Current { get; private set; }

        /// <summary>The current message's offset in the payload.</summary>
        public int Offset { get; private set; }

        public readonly Enumerator GetEnumerator() => this;

        public bool MoveNext()
        {
            if (_next >= _payload.Length) return false;
            var rest = _payload[_next..];
            int length;
            try
            {
                if (!TdpCodec.TryGetMessageLength(rest, out length))
                {
                    throw new DecodeException(What, _next, $"the payload ends inside a TDP message ({rest.Length} bytes left)");
                }
            }
            catch (DecodeException e) when (e.What != What)
            {
                throw new DecodeException(e.What, _next + Math.Max(e.Offset, 0), e.Why);
            }
            if (length <= 0 || length > rest.Length) throw new DecodeException(What, _next, $"TDP framing gave a length of {length}");
            Offset = _next;
            Current = rest[..length];
            _next += length;
            return true;
        }
    }
}
