namespace Oriel.Bench.Desktop;

/// <summary>One measured run of one candidate (all counters are deltas over the measured window).</summary>
internal sealed record RunResult
{
    public required string Candidate { get; init; }
    public required int Index { get; init; }
    public required string Description { get; init; }

    /// <summary>Why the run failed, or null.</summary>
    public string? Error { get; init; }

    /// <summary>The window as the page measured it (performance.now()).</summary>
    public double WindowSeconds { get; init; }

    public double Frames { get; init; }
    public double FramesPerSecond { get; init; }

    /// <summary>WebSocket payload bytes received by the page.</summary>
    public double Bytes { get; init; }
    public double Messages { get; init; }
    public double BytesPerFrame { get; init; }
    public double KibPerSecond { get; init; }

    /// <summary>CPU seconds of the relay process group (gateway or websockify, with its forks).</summary>
    public double RelayCpuSeconds { get; init; }
    public double RelayCpuPer1000Frames { get; init; }

    /// <summary>CPU seconds of Xvnc (the same server for both; differs by encodings the client asks for).</summary>
    public double XvncCpuSeconds { get; init; }
    public double XvncCpuPer1000Frames { get; init; }

    /// <summary>CPU seconds of Chromium's renderer processes (includes the probe's own sampling).</summary>
    public double? RendererCpuSeconds { get; init; }
    public double? RendererCpuPer1000Frames { get; init; }

    /// <summary>CPU seconds of all Chromium processes.</summary>
    public double? BrowserCpuSeconds { get; init; }

    /// <summary>How often the probe sampled the canvas (≈ the display rate; the ceiling of frames/s).</summary>
    public double SamplesPerSecond { get; init; }

    /// <summary>Mean milliseconds one probe sample took on the page's main thread (the probe's own cost).</summary>
    public double ProbeMsPerSample { get; init; }

    /// <summary>The sampled canvas's size at the end (must be the Xvnc geometry: nothing resized it).</summary>
    public string CanvasSize { get; init; } = "";

    public string WebSocketExtensions { get; init; } = "";

    /// <summary>An error the page's sampling loop hit, or empty.</summary>
    public string ProbeError { get; init; } = "";

    /// <summary>/proc/loadavg at the start of the window.</summary>
    public string LoadAverage { get; init; } = "";

    /// <summary>Growth of the recording file on disk over the measured window (within the writer's flush buffer); null when not recorded.</summary>
    public double? RecordingBytesInWindow { get; init; }

    /// <summary><see cref="RecordingBytesInWindow"/> per minute of the measured window.</summary>
    public double? RecordingBytesPerMinuteInWindow { get; init; }

    /// <summary>The whole recording's size as the catalog has it after the session ended (equal to the file's size).</summary>
    public long? RecordingSizeBytes { get; init; }

    /// <summary>The whole recording's duration (connect, warm-up, window, close) in seconds.</summary>
    public double? RecordingSeconds { get; init; }

    /// <summary><see cref="RecordingSizeBytes"/> per minute of <see cref="RecordingSeconds"/>.</summary>
    public double? RecordingBytesPerMinute { get; init; }
}
