using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Oriel.Gateway.Audit;
using Oriel.Gateway.Storage;

namespace Oriel.Gateway.Cli;

public sealed partial class OrielCli
{
    private Command BuildAudit()
    {
        var audit = new Command("audit", "Read and verify the audit log");
        var since = new Option<string?>("--since") { Description = "An ISO 8601 time, or an age such as 30m, 24h, 7d" };
        var kind = new Option<string?>("--kind") { Description = "A kind, or a prefix ending in '.' (auth.)" };
        var limit = new Option<int>("--limit") { DefaultValueFactory = _ => 100 };
        var list = new Command("list", "List audit events, oldest first") { since, kind, limit };
        list.SetAction((r, ct) => RunAsync(r, ct, async sp =>
        {
            var now = sp.GetRequiredService<TimeProvider>().GetUtcNow();
            var query = new AuditQuery { Since = ParseSince(r.GetValue(since), now), Kind = r.GetValue(kind), Limit = r.GetValue(limit) };
            var events = await sp.GetRequiredService<IAuditLog>().QueryAsync(query, ct).ConfigureAwait(false);
            foreach (var e in events.Reverse())
            {
                await _out.WriteLineAsync(
                    string.Join('\t', e.Sequence.ToString(CultureInfo.InvariantCulture), e.Time.ToString("O", CultureInfo.InvariantCulture), e.Kind,
                        e.Actor ?? "-", e.Target ?? "-", e.ClientIp ?? "-", e.SessionId ?? "-", e.Details?.ToJsonString() ?? "{}")).ConfigureAwait(false);
            }

            return 0;
        }));
        audit.Add(list);

        var verify = new Command("verify", "Check the audit hash chain; exit code 3 when it was tampered with");
        verify.SetAction((r, ct) => RunAsync(r, ct, async sp =>
        {
            var result = await sp.GetRequiredService<IAuditLog>().VerifyChainAsync(ct).ConfigureAwait(false);
            if (result.IsValid)
            {
                await _out.WriteLineAsync($"audit chain intact: {result.Count} events, head sha256:{result.HeadHash}").ConfigureAwait(false);
                return 0;
            }

            await _out.WriteLineAsync($"AUDIT CHAIN BROKEN at event {result.FirstBadSequence}: {result.Problem} ({result.Count} events before it are intact)")
                .ConfigureAwait(false);
            return 3;
        }));
        audit.Add(verify);
        return audit;
    }

    internal static DateTimeOffset? ParseSince(string? text, DateTimeOffset now)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        var unit = text[^1];
        if (unit is 's' or 'm' or 'h' or 'd' && double.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.Float, CultureInfo.InvariantCulture, out var n))
        {
            return now - unit switch { 's' => TimeSpan.FromSeconds(n), 'm' => TimeSpan.FromMinutes(n), 'h' => TimeSpan.FromHours(n), _ => TimeSpan.FromDays(n) };
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t)
            ? t
            : throw new ArgumentException($"--since '{text}' is neither an ISO 8601 time nor an age like 24h");
    }
}
