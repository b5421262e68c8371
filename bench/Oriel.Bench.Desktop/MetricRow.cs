namespace Oriel.Bench.Desktop;

/// <summary>
/// One metric compared: the median over each candidate's successful runs, Oriel ÷ peer, and the cost of recording
/// (Oriel recorded ÷ Oriel with recording off).
/// </summary>
/// <param name="Metric">Name and unit.</param>
/// <param name="Better">"higher" or "lower": which way a ratio is good for Oriel.</param>
/// <param name="Peer">Median of <see cref="CandidateNames.Peer"/>.</param>
/// <param name="Oriel">Median of <see cref="CandidateNames.Oriel"/> (recording off).</param>
/// <param name="OrielRecorded">Median of <see cref="CandidateNames.OrielRecorded"/>.</param>
/// <param name="Ratio"><paramref name="Oriel"/> ÷ <paramref name="Peer"/>.</param>
/// <param name="RecordedRatio"><paramref name="OrielRecorded"/> ÷ <paramref name="Oriel"/>.</param>
internal sealed record MetricRow(string Metric, string Better, double? Peer, double? Oriel, double? OrielRecorded, double? Ratio, double? RecordedRatio);
