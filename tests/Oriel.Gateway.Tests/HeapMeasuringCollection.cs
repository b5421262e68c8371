namespace Oriel.Gateway.Tests;

/// <summary>
/// Tests that measure this process's managed heap (a gateway must not hold a transfer's data): they run alone, after
/// the parallel tests, so no other test's allocations count against them.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class HeapMeasuringCollection
{
    public const string Name = "heap-measuring";
}
