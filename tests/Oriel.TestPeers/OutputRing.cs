using System.Text;

namespace Oriel.TestPeers;

/// <summary>The last lines a process wrote (stdout and stderr interleaved), for error messages.</summary>
public sealed class OutputRing
{
    private const int MaxLineLength = 2000;
    private readonly string[] _lines;
    private readonly object _gate = new();
    private long _written;

    public OutputRing(int capacity = 300)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _lines = new string[capacity];
    }

    /// <summary>How many lines were ever added.</summary>
    public long LinesWritten
    {
        get
        {
            lock (_gate) return _written;
        }
    }

    public void Add(string line)
    {
        if (line.Length > MaxLineLength) line = string.Concat(line.AsSpan(0, MaxLineLength), "…");
        lock (_gate)
        {
            _lines[_written % _lines.Length] = line;
            _written++;
        }
    }

    /// <summary>True if any retained line contains <paramref name="text"/>.</summary>
    public bool Contains(string text)
    {
        lock (_gate)
        {
            foreach (var line in _lines)
            {
                if (line is not null && line.Contains(text, StringComparison.Ordinal)) return true;
            }
            return false;
        }
    }

    /// <summary>The retained lines, oldest first, one per line.</summary>
    public override string ToString()
    {
        lock (_gate)
        {
            var sb = new StringBuilder();
            var count = (int)Math.Min(_written, _lines.Length);
            var first = _written - count;
            if (first > 0) sb.Append("… (").Append(first).Append(" earlier lines dropped)\n");
            for (var i = first; i < _written; i++)
            {
                sb.Append(_lines[i % _lines.Length]).Append('\n');
            }
            return sb.ToString();
        }
    }
}
