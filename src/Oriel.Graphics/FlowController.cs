namespace Oriel.Graphics;

/// <summary>
/// Frames in flight between the gateway and one viewer. The sender asks <see cref="CanSend"/>
/// before taking an update; <see cref="BeginFrame(long)"/> numbers the frame; the viewer's
/// acknowledgement of frame N acknowledges every frame up to N. While the window is full the
/// sender does not take updates, so damage keeps merging in the <see cref="UpdateTracker"/>:
/// a slow viewer gets fewer, larger updates, never a queue.
/// </summary>
/// <remarks>
/// Two limits: <see cref="MaxInFlight"/> frames, and <see cref="MaxBytesInFlight"/> unacknowledged
/// bytes (a frame is always allowed when nothing is in flight, however large). Frame ids are
/// consecutive <see cref="uint"/>s and wrap; acknowledgements for ids that are not in flight
/// (old, duplicated or from the future) are ignored. Not thread-safe.
/// </remarks>
public sealed class FlowController
{
    /// <summary>Default frame window.</summary>
    public const int DefaultMaxInFlight = 3;

    /// <summary>Default byte window: 8 MiB.</summary>
    public const long DefaultMaxBytesInFlight = 8L * 1024 * 1024;

    private readonly long[] _bytes;
    private int _head; // ring index of the oldest frame in flight
    private uint _oldestId;
    private uint _nextId;

    public FlowController(int maxInFlight = DefaultMaxInFlight, long maxBytesInFlight = DefaultMaxBytesInFlight, uint firstFrameId = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxInFlight, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxInFlight, 1024);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBytesInFlight, 1);
        MaxInFlight = maxInFlight;
        MaxBytesInFlight = maxBytesInFlight;
        _bytes = new long[maxInFlight];
        _oldestId = firstFrameId;
        _nextId = firstFrameId;
    }

    public int MaxInFlight { get; }

    public long MaxBytesInFlight { get; }

    /// <summary>Frames sent and not yet acknowledged.</summary>
    public int InFlight { get; private set; }

    /// <summary>Bytes of the frames in flight.</summary>
    public long BytesInFlight { get; private set; }

    /// <summary>The id the next <see cref="BeginFrame(long)"/> returns.</summary>
    public uint NextFrameId => _nextId;

    /// <summary>True when another frame may be sent now.</summary>
    public bool CanSend => InFlight == 0 || (InFlight < MaxInFlight && BytesInFlight < MaxBytesInFlight);

    /// <summary>Records a frame of unknown size as sent and returns its id.</summary>
    public uint BeginFrame() => BeginFrame(0);

    /// <summary>Records a frame of <paramref name="byteCount"/> bytes as sent and returns its id.</summary>
    /// <exception cref="InvalidOperationException">The window is full (<see cref="CanSend"/> is false).</exception>
    public uint BeginFrame(long byteCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(byteCount);
        if (!CanSend) throw new InvalidOperationException("flow-control window is full; wait for an acknowledgement");
        var id = _nextId++;
        _bytes[(_head + InFlight) % MaxInFlight] = byteCount;
        InFlight++;
        BytesInFlight += byteCount;
        return id;
    }

    /// <summary>
    /// Adds bytes to the most recent frame in flight (when the size is known only after sending).
    /// Ignored when nothing is in flight.
    /// </summary>
    public void AddBytesToLastFrame(long byteCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(byteCount);
        if (InFlight == 0) return;
        _bytes[(_head + InFlight - 1) % MaxInFlight] += byteCount;
        BytesInFlight += byteCount;
    }

    /// <summary>
    /// The viewer has processed every frame up to and including <paramref name="frameId"/>.
    /// Returns how many frames this released (0 for ids not in flight).
    /// </summary>
    public int Acknowledge(uint frameId)
    {
        // Serial-number arithmetic: the distance from the oldest id in flight, modulo 2^32.
        var distance = frameId - _oldestId;
        if (distance >= (uint)InFlight) return 0;
        var released = (int)distance + 1;
        for (var i = 0; i < released; i++)
        {
            BytesInFlight -= _bytes[_head];
            _bytes[_head] = 0;
            _head = (_head + 1) % MaxInFlight;
        }
        InFlight -= released;
        _oldestId = frameId + 1;
        return released;
    }

    /// <summary>Forgets every frame in flight (the viewer reconnected or asked for a full refresh).</summary>
    public void Reset()
    {
        Array.Clear(_bytes);
        _head = 0;
        InFlight = 0;
        BytesInFlight = 0;
        _oldestId = _nextId;
    }
}
