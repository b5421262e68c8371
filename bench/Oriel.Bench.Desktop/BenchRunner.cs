using System.Diagnostics;
using System.Globalization;
using Microsoft.Playwright;
using Oriel.TestPeers;

namespace Oriel.Bench.Desktop;

/// <summary>Runs one candidate once: fresh Xvnc, relay and browser; warm-up; measured window; teardown.</summary>
internal sealed class BenchRunner(BenchOptions options, TextWriter log)
{
    public async Task<RunResult> RunAsync(string candidateName, int index, CancellationToken cancellationToken)
    {
        IDesktopCandidate candidate = candidateName switch
        {
            CandidateNames.Oriel => new OrielCandidate(options, recorded: false),
            CandidateNames.OrielRecorded => new OrielCandidate(options, recorded: true),
            _ => new WebsockifyNoVncCandidate(options),
        };
        var clock = Stopwatch.StartNew();
        var step = "start Xvnc";
        var console = new Queue<string>();
        try
        {
            // Disposed in reverse order: browser, relay, Xvnc (with the xterm).
            await using var workload = await ScrollWorkload.StartAsync(options).ConfigureAwait(false);
            await using var relay = candidate;
            step = "start the relay";
            await candidate.StartAsync(workload.Server, cancellationToken).ConfigureAwait(false);
            step = "launch Chromium";
            await using var browser = await ChromiumBrowser.LaunchAsync(headless: !options.Headed).ConfigureAwait(false);
            var context = await browser.NewContextAsync(options: new BrowserNewContextOptions
            {
                ViewportSize = new ViewportSize { Width = options.Width, Height = options.Height + 120 },
            }).ConfigureAwait(false);
            await PageProbe.InstallAsync(context).ConfigureAwait(false);
            await candidate.PrepareContextAsync(context).ConfigureAwait(false);
            var page = await context.NewPageAsync().ConfigureAwait(false);
            page.Console += (_, m) =>
            {
                if (m.Type is "error" or "warning") AddConsole(m.Type + ": " + m.Text);
            };
            page.PageError += (_, text) => AddConsole("page error: " + text);
            step = "open the client";
            await candidate.OpenAsync(page, cancellationToken).ConfigureAwait(false);
            Log($"connected after {clock.Elapsed.TotalSeconds:0.0} s; scrolling, warm-up {options.WarmupSeconds:0.#} s");

            step = "warm up";
            await workload.StartScrollingAsync().ConfigureAwait(false);
            await PageProbe.StartSamplingAsync(page, candidate.CanvasSelector).ConfigureAwait(false);
            await Task.Delay(TimeSpan.FromSeconds(options.WarmupSeconds), cancellationToken).ConfigureAwait(false);
            if (workload.Xterm is { HasExited: true } xterm)
            {
                throw new InvalidOperationException($"the workload xterm exited early. Output:\n{xterm.RecentOutput}");
            }

            var cpu = await BrowserCpu.OpenAsync(browser.Browser).ConfigureAwait(false);
            var load = ReadLoadAverage();
            step = "measure";
            var start = await SampleAsync(page, candidate, workload, cpu).ConfigureAwait(false);
            Log($"measuring {options.MeasureSeconds:0.#} s");
            await Task.Delay(TimeSpan.FromSeconds(options.MeasureSeconds), cancellationToken).ConfigureAwait(false);
            var end = await SampleAsync(page, candidate, workload, cpu).ConfigureAwait(false);
            if (relay.Relay.HasExited)
            {
                throw new InvalidOperationException($"{relay.Relay.Name} exited during the run. Output:\n{relay.Relay.RecentOutput}");
            }
            var expected = string.Create(CultureInfo.InvariantCulture, $"{options.Width}x{options.Height}");
            if (end.Probe.CanvasSize != expected)
            {
                throw new InvalidOperationException($"the client's canvas is {end.Probe.CanvasSize}, not {expected}: the desktop was resized or never drawn");
            }
            step = "end the session and read its recording";
            var recording = await candidate.FinishAsync(page, cancellationToken).ConfigureAwait(false);
            return Compute(candidate.Name, candidate.Description, index, start, end, load, recording);
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException or PlaywrightException or IOException)
        {
            return new RunResult { Candidate = candidate.Name, Index = index, Description = candidate.Description, Error = $"{step}: {e.GetType().Name}: {e.Message}{ConsoleTail()}" };
        }

        void AddConsole(string line)
        {
            lock (console)
            {
                console.Enqueue(line);
                while (console.Count > 10) console.Dequeue();
            }
        }

        string ConsoleTail()
        {
            lock (console) return console.Count == 0 ? "" : "\nbrowser console (last lines):\n  " + string.Join("\n  ", console);
        }

        void Log(string message) => log.WriteLine($"  [{candidate.Name} #{index}] {message}");
    }

    private static async Task<Sample> SampleAsync(IPage page, IDesktopCandidate candidate, ScrollWorkload workload, BrowserCpu cpu)
    {
        var probe = await PageProbe.SnapshotAsync(page).ConfigureAwait(false);
        var relay = ProcessCpu.GroupSeconds(candidate.Relay.Id);
        var xvnc = ProcessCpu.GroupSeconds(workload.Server.Process.Id);
        var recorded = candidate.RecordingBytesOnDisk();
        (double Renderer, double Total)? browser;
        try
        {
            browser = await cpu.SampleAsync().ConfigureAwait(false);
        }
        catch (PlaywrightException)
        {
            browser = null; // optional metric
        }
        return new Sample(probe, relay, xvnc, browser, recorded);
    }

    /// <summary>A run's results from the counters at the window's start and end, and the recording (if any) once finished.</summary>
    internal static RunResult Compute(string name, string description, int index, Sample start, Sample end, string load, RecordingSummary? recording)
    {
        var seconds = (end.Probe.NowMs - start.Probe.NowMs) / 1000.0;
        var frames = end.Probe.Frames - start.Probe.Frames;
        var bytes = end.Probe.Bytes - start.Probe.Bytes;
        var ticks = end.Probe.Ticks - start.Probe.Ticks;
        var relayCpu = end.Relay - start.Relay;
        var xvncCpu = end.Xvnc - start.Xvnc;
        double? renderer = start.Browser is { } b0 && end.Browser is { } b1 ? b1.Renderer - b0.Renderer : null;
        double? browserTotal = start.Browser is { } c0 && end.Browser is { } c1 ? c1.Total - c0.Total : null;
        double PerFrame(double v) => frames > 0 ? v / frames : double.NaN;
        double? recordedBytes = start.RecordingBytes is { } rb0 && end.RecordingBytes is { } rb1 ? rb1 - rb0 : null;
        return new RunResult
        {
            Candidate = name,
            Index = index,
            Description = description,
            WindowSeconds = seconds,
            Frames = frames,
            FramesPerSecond = seconds > 0 ? frames / seconds : 0,
            Bytes = bytes,
            Messages = end.Probe.Messages - start.Probe.Messages,
            BytesPerFrame = PerFrame(bytes),
            KibPerSecond = seconds > 0 ? bytes / 1024 / seconds : 0,
            RelayCpuSeconds = relayCpu,
            RelayCpuPer1000Frames = PerFrame(relayCpu) * 1000,
            XvncCpuSeconds = xvncCpu,
            XvncCpuPer1000Frames = PerFrame(xvncCpu) * 1000,
            RendererCpuSeconds = renderer,
            RendererCpuPer1000Frames = renderer is { } r ? PerFrame(r) * 1000 : null,
            BrowserCpuSeconds = browserTotal,
            SamplesPerSecond = seconds > 0 ? ticks / seconds : 0,
            ProbeMsPerSample = ticks > 0 ? (end.Probe.SampleMs - start.Probe.SampleMs) / ticks : 0,
            CanvasSize = end.Probe.CanvasSize,
            WebSocketExtensions = end.Probe.Extensions,
            ProbeError = end.Probe.Error,
            LoadAverage = load,
            RecordingBytesInWindow = recordedBytes,
            RecordingBytesPerMinuteInWindow = recordedBytes is { } w ? RecordingSummary.PerMinute(w, seconds) : null,
            RecordingSizeBytes = recording?.SizeBytes,
            RecordingSeconds = recording is { } rs ? rs.DurationMs / 1000.0 : null,
            RecordingBytesPerMinute = recording?.BytesPerMinute,
        };
    }

    private static string ReadLoadAverage()
    {
        try
        {
            return File.ReadAllText("/proc/loadavg").Trim();
        }
        catch (IOException)
        {
            return "";
        }
    }

    /// <summary>Counters at one instant; <paramref name="RecordingBytes"/> is the recordings' size on disk (null: not recorded).</summary>
    internal sealed record Sample(ProbeSnapshot Probe, double Relay, double Xvnc, (double Renderer, double Total)? Browser, long? RecordingBytes);
}
