namespace Oriel.Bench.Desktop;

/// <summary>What the page probe (PageProbe.js) has counted so far.</summary>
/// <param name="Bytes">WebSocket payload bytes received by the page.</param>
/// <param name="Messages">WebSocket messages received.</param>
/// <param name="Sockets">WebSockets opened.</param>
/// <param name="Extensions">Negotiated WebSocket extensions per socket (e.g. permessage-deflate), ';'-separated.</param>
/// <param name="Frames">Distinct canvas states seen by the rAF loop.</param>
/// <param name="Ticks">rAF ticks that sampled the canvas.</param>
/// <param name="SampleMs">Milliseconds the probe itself spent sampling (its cost to the page).</param>
/// <param name="CanvasSize">The sampled canvas's size when last sampled (WxH).</param>
/// <param name="NowMs">The page's performance.now().</param>
/// <param name="Error">The last error of the sampling loop, or empty.</param>
internal sealed record ProbeSnapshot(
    double Bytes,
    double Messages,
    double Sockets,
    string Extensions,
    double Frames,
    double Ticks,
    double SampleMs,
    string CanvasSize,
    double NowMs,
    string Error);
