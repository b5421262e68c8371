using System.Diagnostics;
using System.Globalization;
using Oriel.TestPeers;

namespace Oriel.Bench.Ssh;

/// <summary>
/// Runs the parts of the benchmark against one sshd: the throughput runs of each side (<see cref="RunSshAsync"/>,
/// <see cref="RunOrielAsync"/>) and the idle sessions (<see cref="RunIdleAsync"/>). Each Oriel run starts its own
/// gateway process over the configured data directory and stops it at the end.
/// </summary>
internal sealed class SshBench(SshBenchOptions options, SshdServer sshd, OpenSshClient ssh, string? gatewayData, TextWriter log)
{
    private static readonly TimeSpan s_promptTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan s_promptQuiet = TimeSpan.FromMilliseconds(300);

    /// <summary>The remote command both sides run: exactly <see cref="SshBenchOptions.Bytes"/> NUL bytes.</summary>
    public string Command => string.Create(CultureInfo.InvariantCulture, $"head -c {options.Bytes} /dev/zero");

    /// <summary>Generous bound on one transfer: the payload at 2 MB/s, plus two minutes.</summary>
    private TimeSpan TransferTimeout => TimeSpan.FromSeconds(options.Bytes / 2e6 + 120);

    public async Task<ThroughputRun> RunSshAsync(int index)
    {
        try
        {
            var t = await ssh.RunAsync(Command, TransferTimeout).ConfigureAwait(false);
            return new ThroughputRun
            {
                Side = SshBenchOptions.SideSsh,
                Index = index,
                PayloadBytes = options.Bytes,
                Seconds = t.TransferSeconds,
                MegabytesPerSecond = options.Bytes / t.TransferSeconds / 1e6,
                ClientCpuSeconds = t.TransferCpuSeconds,
                SshSetupSeconds = t.SetupSeconds,
                LoadAverage = LoadAverage(),
            };
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException or IOException or System.Net.WebSockets.WebSocketException)
        {
            return new ThroughputRun { Side = SshBenchOptions.SideSsh, Index = index, Error = e.Message, LoadAverage = LoadAverage() };
        }
    }

    public async Task<ThroughputRun> RunOrielAsync(int index, CancellationToken cancellationToken)
    {
        var data = gatewayData ?? throw new InvalidOperationException("the gateway was not configured");
        GatewayProcess? gateway = null;
        TerminalClient? client = null;
        try
        {
            gateway = await GatewayProcess.StartAsync(options.GatewayDll, data, options.GatewayEnvironment, cancellationToken).ConfigureAwait(false);
            var pid = gateway.Process.Id;
            client = await TerminalClient.ConnectAsync(gateway, sshd.User, cancellationToken).ConfigureAwait(false);
            await client.WaitForPromptAsync(s_promptTimeout, s_promptQuiet, cancellationToken).ConfigureAwait(false);

            var before = ProcFs.Status(pid);
            var hwmReset = ProcFs.ResetPeak(pid);
            var gatewayCpu0 = ProcFs.CpuSeconds(pid);
            var clientCpu0 = Process.GetCurrentProcess().TotalProcessorTime;
            using var samplerStop = new CancellationTokenSource();
            var sampler = SamplePeakRssAsync(pid, samplerStop.Token);

            client.ExpectZeros(options.Bytes);
            var start = Stopwatch.GetTimestamp();
            // Enter is CR, as a terminal sends it; `exit` ends the shell, so the session ends with a terminal exit (112).
            await client.TypeAsync(Command + "; exit\r").ConfigureAwait(false);

            var first = await Task.WhenAny(client.ZerosArrived, client.Closed).WaitAsync(TransferTimeout, cancellationToken).ConfigureAwait(false);
            if (first != client.ZerosArrived && !client.ZerosArrived.IsCompleted)
            {
                throw new InvalidOperationException("the session ended before the whole payload arrived: " + client.Describe() +
                    "\ngateway output:\n" + gateway.Process.RecentOutput);
            }
            var end = await client.ZerosArrived.ConfigureAwait(false);
            var gatewayCpu = ProcFs.CpuSeconds(pid) - gatewayCpu0;
            var clientCpu = (Process.GetCurrentProcess().TotalProcessorTime - clientCpu0).TotalSeconds;
            var after = ProcFs.Status(pid);
            await samplerStop.CancelAsync().ConfigureAwait(false);
            var sampled = await sampler.ConfigureAwait(false);

            double? toExit = null;
            try
            {
                await client.Closed.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
                if (client.Exit is not null) toExit = Stopwatch.GetElapsedTime(start).TotalSeconds;
            }
            catch (TimeoutException)
            {
            }
            if (client.ZeroBytes != options.Bytes)
            {
                throw new InvalidOperationException($"{client.ZeroBytes} NUL bytes arrived, {options.Bytes} were sent: {client.Describe()}");
            }
            if (client.Exit is null)
            {
                throw new InvalidOperationException("the whole payload arrived but no terminal exit (112) followed within 30 s: " + client.Describe());
            }

            var seconds = Stopwatch.GetElapsedTime(start, end).TotalSeconds;
            var peakKib = hwmReset ? Math.Max(after.PeakRssKib, sampled) : sampled;
            return new ThroughputRun
            {
                Side = SshBenchOptions.SideOriel,
                Index = index,
                PayloadBytes = options.Bytes,
                Seconds = seconds,
                MegabytesPerSecond = options.Bytes / seconds / 1e6,
                ClientCpuSeconds = clientCpu,
                ReceivedBytes = client.OutputBytes,
                ReceivedNulBytes = client.ZeroBytes,
                OutputMessages = client.OutputMessages,
                SecondsToExit = toExit,
                GatewayCpuSeconds = gatewayCpu,
                GatewayCpuSecondsPerGib = gatewayCpu / (options.Bytes / (double)SshBenchOptions.OneGib),
                GatewayRssBeforeMib = before.RssKib / 1024.0,
                GatewayPeakRssMib = peakKib / 1024.0,
                PeakSource = hwmReset ? "VmHWM" : "sampled",
                GatewayThreads = after.Threads,
                LoadAverage = LoadAverage(),
            };
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException or IOException or HttpRequestException or System.Net.WebSockets.WebSocketException)
        {
            var output = gateway is null ? "" : "\ngateway output:\n" + gateway.Process.RecentOutput;
            return new ThroughputRun { Side = SshBenchOptions.SideOriel, Index = index, Error = e.Message + output, LoadAverage = LoadAverage() };
        }
        finally
        {
            if (client is not null) await client.DisposeAsync().ConfigureAwait(false);
            if (gateway is not null) await gateway.DisposeAsync().ConfigureAwait(false);
        }
    }

    public async Task<IdleResult> RunIdleAsync(CancellationToken cancellationToken)
    {
        var data = gatewayData ?? throw new InvalidOperationException("the gateway was not configured");
        var n = options.IdleSessions;
        var errors = new List<string>();
        var clients = new List<TerminalClient>();
        GatewayProcess? gateway = null;
        try
        {
            gateway = await GatewayProcess.StartAsync(options.GatewayDll, data, options.GatewayEnvironment, cancellationToken).ConfigureAwait(false);
            var pid = gateway.Process.Id;

            // One session first, closed again, so that what every session needs once (code paths compiled, the SSH
            // library loaded, pools created) is in the baseline and not charged to the hundred.
            log.WriteLine("  warm-up session");
            await using (var warm = await TerminalClient.ConnectAsync(gateway, sshd.User, cancellationToken).ConfigureAwait(false))
            {
                await warm.WaitForPromptAsync(s_promptTimeout, s_promptQuiet, cancellationToken).ConfigureAwait(false);
            }
            await WaitForLiveSessionsAsync(gateway, 0, cancellationToken).ConfigureAwait(false);
            await Task.Delay(TimeSpan.FromSeconds(3), cancellationToken).ConfigureAwait(false);
            var gatewayBefore = ProcFs.Status(pid);
            var sshdBefore = ProcFs.Sum(ProcFs.Descendants(sshd.Process.Id));

            log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  opening {n} sessions, {options.OpenParallel} at a time"));
            var clock = Stopwatch.StartNew();
            using var gate = new SemaphoreSlim(options.OpenParallel);
            var opening = Enumerable.Range(0, n).Select(async _ =>
            {
                await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
                try
                {
                    var c = await TerminalClient.ConnectAsync(gateway, sshd.User, cancellationToken).ConfigureAwait(false);
                    lock (clients) clients.Add(c);
                    await c.WaitForPromptAsync(TimeSpan.FromSeconds(120), TimeSpan.FromMilliseconds(200), cancellationToken).ConfigureAwait(false);
                    return (string?)null;
                }
                catch (Exception e) when (e is InvalidOperationException or TimeoutException or IOException or System.Net.WebSockets.WebSocketException)
                {
                    return e.Message;
                }
                finally
                {
                    gate.Release();
                }
            }).ToList();
            foreach (var error in await Task.WhenAll(opening).ConfigureAwait(false))
            {
                if (error is not null) errors.Add(error);
            }
            var openSeconds = clock.Elapsed.TotalSeconds;
            var opened = n - errors.Count;
            log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {opened} of {n} at their prompts after {openSeconds:0.0} s; letting them idle 5 s"));
            await Task.Delay(TimeSpan.FromSeconds(5), cancellationToken).ConfigureAwait(false);
            var gatewayAfter = ProcFs.Status(pid);
            var sshdAfter = ProcFs.Sum(ProcFs.Descendants(sshd.Process.Id));
            var listed = await gateway.LiveSessionCountAsync(cancellationToken).ConfigureAwait(false);
            var stillOpen = clients.Count(c => !c.Closed.IsCompleted);
            if (stillOpen != opened) errors.Add($"{opened} sessions reached their prompts but {stillOpen} were still open after idling");
            return new IdleResult
            {
                Requested = n,
                Opened = opened,
                Errors = errors.Distinct().Take(10).ToList(),
                OpenSeconds = openSeconds,
                LiveSessionsListed = listed,
                GatewayBefore = gatewayBefore,
                GatewayAfter = gatewayAfter,
                SshdBefore = sshdBefore,
                SshdAfter = sshdAfter,
            };
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException or IOException or HttpRequestException or System.Net.WebSockets.WebSocketException)
        {
            var output = gateway is null ? "" : "\ngateway output:\n" + gateway.Process.RecentOutput;
            return new IdleResult { Requested = n, Errors = [.. errors, e.Message + output] };
        }
        finally
        {
            await Task.WhenAll(clients.Select(c => c.DisposeAsync().AsTask())).ConfigureAwait(false);
            if (gateway is not null) await gateway.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Waits (up to 15 s) until the gateway lists <paramref name="count"/> live sessions for the user.</summary>
    private static async Task WaitForLiveSessionsAsync(GatewayProcess gateway, int count, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (await gateway.LiveSessionCountAsync(cancellationToken).ConfigureAwait(false) != count)
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(15)) throw new TimeoutException($"the gateway did not list {count} live sessions within 15 s");
            await Task.Delay(100, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The highest VmRSS (KiB) seen every 50 ms until cancelled: the fallback when VmHWM cannot be reset.</summary>
    private static async Task<long> SamplePeakRssAsync(int pid, CancellationToken cancellationToken)
    {
        long peak = 0;
        try
        {
            while (true)
            {
                peak = Math.Max(peak, ProcFs.Status(pid).RssKib);
                await Task.Delay(50, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (IOException)
        {
        }
        return peak;
    }

    private static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "";
        }
    }
}
