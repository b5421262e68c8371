using System.Reflection;
using Microsoft.Extensions.Logging;

namespace Oriel.Gateway.Tests;

/// <summary>Log event ids are stable identifiers operators filter on: each must mean one thing.</summary>
public sealed class LogEventIdTests
{
    [Fact]
    public void EveryLoggerMessageHasItsOwnEventId()
    {
        var assembly = typeof(Oriel.Gateway.Hosting.GatewayHost).Assembly;
        var messages = assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            .Select(m => (Method: m, Attribute: m.GetCustomAttribute<LoggerMessageAttribute>()))
            .Where(x => x.Attribute is not null)
            .ToList();
        Assert.True(messages.Count > 20, $"found only {messages.Count} logger messages");
        var duplicates = messages.GroupBy(x => x.Attribute!.EventId).Where(g => g.Count() > 1)
            .Select(g => $"{g.Key}: " + string.Join(", ", g.Select(x => $"{x.Method.DeclaringType!.FullName}.{x.Method.Name}")))
            .ToList();
        Assert.True(duplicates.Count == 0, "duplicate event ids: " + string.Join("; ", duplicates));
    }
}
