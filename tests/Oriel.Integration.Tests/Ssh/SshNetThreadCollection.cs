namespace Oriel.Integration.Tests.Ssh;

/// <summary>Runs <see cref="SshNetThreadTests"/> alone, so other tests' threads do not count.</summary>
[CollectionDefinition(SshNetThreadTests.Collection, DisableParallelization = true)]
public sealed class SshNetThreadCollection;
