namespace Oriel.Architecture.Tests;

/// <summary>DESIGN.md rules 1 and 2 on the project graph the csproj files declare.</summary>
public sealed class ProjectGraphTests
{
    private static readonly string[] KnownCore = ["Oriel.Wire", "Oriel.Tdp", "Oriel.Rfb", "Oriel.Rfb.Encodings", "Oriel.Graphics", "Oriel.Recording"];

    [Fact]
    public void Only_the_gateway_and_the_turbojpeg_binding_opt_out_of_the_core_tier()
    {
        // Opting out is a decision about the architecture: it changes this list on purpose.
        var optedOut = Repository.Projects.Values.Where(p => !p.IsCore).Select(p => p.Name).Order(StringComparer.Ordinal);
        Assert.Equal(Repository.HostTier.Order(StringComparer.Ordinal), optedOut);
        Assert.All(KnownCore, name => Assert.True(Repository.Projects[name].IsCore, name));
    }

    [Fact]
    public void Core_projects_reference_only_core_projects_and_no_packages()
    {
        foreach (var project in Repository.Core)
        {
            foreach (var reference in project.ProjectReferences)
            {
                Assert.True(Repository.Projects.TryGetValue(reference, out var target), $"{project.Name} references {reference}, which is not under src/");
                Assert.True(target.IsCore, $"core project {project.Name} references the host-tier project {reference}");
            }
            Assert.True(project.PackageReferences.Count == 0, $"core project {project.Name} references packages: {string.Join(", ", project.PackageReferences)}");
        }
    }

    [Fact]
    public void Protocols_never_reference_each_other_even_through_another_project()
    {
        foreach (var project in Repository.Projects.Values)
        {
            if (!Repository.ProtocolFamily.TryGetValue(project.Name, out var family))
            {
                continue;
            }
            foreach (var reached in Reachable(project.Name))
            {
                if (Repository.ProtocolFamily.TryGetValue(reached, out var other))
                {
                    Assert.True(other == family, $"{project.Name} ({family}) reaches {reached} ({other})");
                }
            }
        }
    }

    [Fact]
    public void Tdp_knows_nothing_of_rfb_and_the_shared_core_knows_no_protocol()
    {
        Assert.DoesNotContain(Reachable("Oriel.Tdp"), r => r.StartsWith("Oriel.Rfb", StringComparison.Ordinal));
        foreach (var shared in new[] { "Oriel.Wire", "Oriel.Graphics" })
        {
            Assert.DoesNotContain(Reachable(shared), r => Repository.ProtocolFamily.ContainsKey(r));
        }

        // Recordings: raw streams of any protocol, and desktop sessions as TDP (DESIGN.md, "Recording"), so the
        // recording format may know TDP, the gateway's own browser protocol, and no other.
        Assert.DoesNotContain(Reachable("Oriel.Recording"), r => Repository.ProtocolFamily.TryGetValue(r, out var family) && family != "TDP");
    }

    [Fact]
    public void The_graph_is_the_one_these_tests_read()
    {
        // Guards the parsing above: the rules must not pass because nothing was found.
        Assert.Contains("Oriel.Wire", Repository.Projects["Oriel.Tdp"].ProjectReferences);
        Assert.Contains("Oriel.Rfb.Encodings", Repository.Projects["Oriel.Rfb"].ProjectReferences);
        Assert.Contains("Oriel.Graphics.TurboJpeg", Repository.Projects["Oriel.Gateway"].ProjectReferences);
        Assert.Contains("Oriel.Rfb.Encodings", Reachable("Oriel.Rfb"));
        Assert.Contains("Oriel.Wire", Reachable("Oriel.Rfb"));
    }

    private static HashSet<string> Reachable(string from)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var stack = new Stack<string>(Repository.Projects[from].ProjectReferences);
        while (stack.Count > 0)
        {
            var next = stack.Pop();
            if (!seen.Add(next) || !Repository.Projects.TryGetValue(next, out var p))
            {
                continue;
            }
            foreach (var r in p.ProjectReferences)
            {
                stack.Push(r);
            }
        }
        return seen;
    }
}
