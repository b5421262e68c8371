using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Oriel.Gateway.Configuration;
using Oriel.Gateway.Storage;

namespace Oriel.Gateway.Audit;

/// <summary>
/// Audits refusals of requests that were refused before anyone was authenticated (a WebSocket upgrade with a foreign
/// Origin, a query on the relay, a link that is malformed, forged or spent, a throttled sign-in or key) without
/// letting anyone who can send requests grow the audit log without bound. Per source — the event kind, a stable
/// reason code and the client address — the first refusal is written in full; further ones are only counted, and
/// once per <see cref="RefusalAuditOptions.Window"/> a source with a count gets one
/// <see cref="AuditKinds.RefusalSummary"/> event (kind, reason, count, since, until). A source quiet for a whole window
/// is forgotten, so its next refusal is written in full again. At most
/// <see cref="RefusalAuditOptions.MaxTrackedSources"/> sources are tracked; refusals from further ones are counted per
/// kind and summarised with no address. Pending counts are written when the host stops. Callers log a refusal only
/// when this returns true, so the log is bounded the same way. Refusals of an authenticated request are not for this
/// class: those are written every time. The events go through <see cref="IAuditLog"/>, so the hash chain is unchanged.
/// </summary>
public sealed class RefusalAuditor(IAuditLog audit, RefusalAuditOptions options, TimeProvider time, ILogger<RefusalAuditor> log) : BackgroundService
{
    private readonly Lock _lock = new();
    private readonly Dictionary<(string Kind, string Reason, string? ClientIp), Source> _sources = [];
    private readonly Dictionary<string, Source> _untracked = new(StringComparer.Ordinal);
    private DateTimeOffset? _windowStart;

    /// <summary>Sources tracked now (for tests and diagnostics).</summary>
    public int TrackedSources
    {
        get
        {
            lock (_lock)
            {
                return _sources.Count;
            }
        }
    }

    /// <summary>
    /// Records the refusal <paramref name="e"/>, whose source is (<c>e.Kind</c>, <paramref name="reason"/>,
    /// <c>e.ClientIp</c>). <paramref name="reason"/> must be a short code from a fixed set (never text from the request,
    /// or each request would be a new source). Returns true when <paramref name="e"/> was written to the audit log
    /// (the caller then logs it as before), false when it was counted for a summary.
    /// </summary>
    public async Task<bool> RefuseAsync(AuditEvent e, string reason, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(e);
        ArgumentException.ThrowIfNullOrEmpty(reason);
        List<AuditEvent> summaries;
        bool write;
        lock (_lock)
        {
            var now = time.GetUtcNow();
            summaries = RollIfDue(now, force: false);
            var key = (e.Kind, reason, e.ClientIp);
            if (_sources.TryGetValue(key, out var source))
            {
                source.Count(now);
                write = false;
            }
            else if (_sources.Count < options.MaxTrackedSources)
            {
                _sources[key] = new Source { Seen = true };
                write = true;
            }
            else
            {
                if (!_untracked.TryGetValue(e.Kind, out var overflow))
                {
                    _untracked[e.Kind] = overflow = new Source();
                }

                overflow.Count(now);
                write = false;
            }
        }

        // Not the request's token: a caller going away must not lose the summaries its refusal rolled out.
        await WriteSummariesAsync(summaries, CancellationToken.None).ConfigureAwait(false);
        if (write)
        {
            await audit.WriteAsync(e, ct).ConfigureAwait(false);
        }

        return write;
    }

    /// <summary>Writes the summaries of a window that is over (the timer calls this; so does the next refusal).</summary>
    public Task FlushDueAsync(CancellationToken ct = default) => FlushAsync(force: false, ct);

    /// <summary>Writes every pending count now, window over or not (at shutdown).</summary>
    public Task FlushAllAsync(CancellationToken ct = default) => FlushAsync(force: true, ct);

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        await FlushAllAsync(CancellationToken.None).ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Window, time);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                await FlushDueAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                AuditLogMessages.SummaryFailed(log, e); // the timer keeps going; the next window tries again
            }
        }
    }

    private async Task FlushAsync(bool force, CancellationToken ct)
    {
        List<AuditEvent> summaries;
        lock (_lock)
        {
            summaries = RollIfDue(time.GetUtcNow(), force);
        }

        await WriteSummariesAsync(summaries, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// When the window is over (or <paramref name="force"/>): the summaries of sources with a count, which stay
    /// tracked; sources not seen during the window are forgotten; a new window starts. Called under the lock.
    /// </summary>
    private List<AuditEvent> RollIfDue(DateTimeOffset now, bool force)
    {
        var summaries = new List<AuditEvent>();
        if (_windowStart is not { } start)
        {
            _windowStart = now;
            return summaries;
        }

        if (!force && now - start < options.Window)
        {
            return summaries;
        }

        foreach (var (key, source) in _sources.ToList())
        {
            if (source.Suppressed > 0)
            {
                summaries.Add(Summary(key.Kind, key.Reason, key.ClientIp, source, now));
            }
            else if (!source.Seen)
            {
                _sources.Remove(key);
                continue;
            }

            source.Reset();
        }

        foreach (var (kind, overflow) in _untracked)
        {
            summaries.Add(Summary(kind, null, null, overflow, now));
        }

        _untracked.Clear();
        _windowStart = now;
        return summaries;
    }

    private static AuditEvent Summary(string kind, string? reason, string? clientIp, Source source, DateTimeOffset now)
    {
        var details = new JsonObject
        {
            ["kind"] = kind,
            ["count"] = source.Suppressed,
            ["since"] = source.FirstSuppressed.ToString("O", CultureInfo.InvariantCulture),
            ["until"] = now.ToString("O", CultureInfo.InvariantCulture),
        };
        if (reason is not null)
        {
            details["reason"] = reason;
        }
        else
        {
            details["sources"] = "untracked"; // more sources than MaxTrackedSources: addresses not kept
        }

        return new AuditEvent { Kind = AuditKinds.RefusalSummary, ClientIp = clientIp, Details = details };
    }

    private async Task WriteSummariesAsync(List<AuditEvent> summaries, CancellationToken ct)
    {
        foreach (var summary in summaries)
        {
            var details = summary.Details!;
            AuditLogMessages.RefusalsSummarised(log, details["count"]!.GetValue<long>(), details["kind"]!.GetValue<string>(),
                details["reason"]?.GetValue<string>() ?? "untracked sources", summary.ClientIp);
            await audit.WriteAsync(summary, ct).ConfigureAwait(false);
        }
    }

    /// <summary>What is known of one source (or of the untracked sources of one kind) in the current window.</summary>
    private sealed class Source
    {
        /// <summary>A refusal from it was recorded (written or counted) in this window.</summary>
        public bool Seen { get; set; }

        /// <summary>Refusals counted and not written since the last summary.</summary>
        public long Suppressed { get; private set; }

        public DateTimeOffset FirstSuppressed { get; private set; }

        public void Count(DateTimeOffset now)
        {
            if (Suppressed == 0)
            {
                FirstSuppressed = now;
            }

            Suppressed++;
            Seen = true;
        }

        public void Reset()
        {
            Suppressed = 0;
            Seen = false;
        }
    }
}
