namespace Oriel.Gateway.Sessions;

/// <summary>
/// The protocol adapters this gateway has, by protocol name (DESIGN rule 3): which protocols exist and which session
/// kinds each offers. Built from every <see cref="IProtocolAdapter"/> registered in the container; session admission
/// asks it, so adding a protocol is registering its adapter, with no change to admission, the broker or the endpoints.
/// Names are matched without regard to case.
/// </summary>
public sealed class ProtocolRegistry
{
    private readonly Dictionary<string, IProtocolAdapter> _adapters = new(StringComparer.OrdinalIgnoreCase);

    /// <exception cref="ArgumentException">Two adapters claim the same protocol name, or one has none.</exception>
    public ProtocolRegistry(IEnumerable<IProtocolAdapter> adapters)
    {
        ArgumentNullException.ThrowIfNull(adapters);
        foreach (var adapter in adapters)
        {
            if (string.IsNullOrWhiteSpace(adapter.Protocol))
            {
                throw new ArgumentException($"{adapter.GetType().Name} names no protocol", nameof(adapters));
            }
            if (!_adapters.TryAdd(adapter.Protocol, adapter))
            {
                throw new ArgumentException(
                    $"two adapters for protocol '{adapter.Protocol}': {_adapters[adapter.Protocol].GetType().Name} and {adapter.GetType().Name}", nameof(adapters));
            }
        }
    }

    /// <summary>The registered protocol names, sorted.</summary>
    public IReadOnlyList<string> Protocols => [.. _adapters.Keys.Order(StringComparer.Ordinal)];

    /// <summary>The adapter for <paramref name="protocol"/>, or null when this gateway has none.</summary>
    public IProtocolAdapter? Find(string protocol)
    {
        ArgumentNullException.ThrowIfNull(protocol);
        return _adapters.GetValueOrDefault(protocol);
    }

    /// <summary>The adapter for <paramref name="protocol"/> when it offers sessions of <paramref name="kind"/> (<see cref="SessionKinds"/>), else null.</summary>
    public IProtocolAdapter? Find(string protocol, string kind)
    {
        ArgumentNullException.ThrowIfNull(kind);
        return Find(protocol) is { } adapter && adapter.SessionKinds.Contains(kind) ? adapter : null;
    }

    /// <summary>The display names of the protocols that offer <paramref name="kind"/>, sorted ("VNC").</summary>
    public IReadOnlyList<string> DisplayNamesOffering(string kind) =>
        [.. _adapters.Values.Where(a => a.SessionKinds.Contains(kind)).Select(a => a.DisplayName).Order(StringComparer.Ordinal)];
}
