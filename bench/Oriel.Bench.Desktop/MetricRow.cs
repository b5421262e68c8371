namespace Oriel.Bench.Desktop;

/// <summary>One metric compared: the median over each candidate's successful runs and Oriel ÷ peer.</summary>
/// <param name="Metric">Name and unit.</param>
/// <param name="Better">"higher" or "lower": which way a ratio is good for Oriel.</param>
internal sealed record MetricRow(string Metric, string Better, double? Peer, double? Oriel, double? Ratio);
