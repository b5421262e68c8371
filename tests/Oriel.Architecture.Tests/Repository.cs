using System.Reflection;
using System.Xml.Linq;

namespace Oriel.Architecture.Tests;

/// <summary>The source tree the tests were built from: its src/ projects and what they reference.</summary>
internal static class Repository
{
    /// <summary>The projects that opt out of the core-tier rule; anything else under src/ is core.</summary>
    public static readonly string[] HostTier = ["Oriel.Gateway", "Oriel.Graphics.TurboJpeg"];

    /// <summary>Protocol families (DESIGN.md rule 2): a project of one never references a project of another.</summary>
    public static readonly Dictionary<string, string> ProtocolFamily = new(StringComparer.Ordinal)
    {
        ["Oriel.Tdp"] = "TDP",
        ["Oriel.Rfb"] = "RFB",
        ["Oriel.Rfb.Encodings"] = "RFB",
        ["Oriel.Rdp"] = "RDP",
        ["Oriel.Ssh"] = "SSH",
    };

    public static string Root { get; } = FindRoot();

    /// <summary>Every src/*/*.csproj by project name.</summary>
    public static IReadOnlyDictionary<string, SourceProject> Projects { get; } = LoadProjects();

    public static IEnumerable<SourceProject> Core => Projects.Values.Where(p => p.IsCore);

    private static string FindRoot()
    {
        var built = typeof(Repository).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "OrielRepositoryRoot")?.Value;
        if (built is not null && File.Exists(Path.Combine(built, "Oriel.sln")))
        {
            return Path.GetFullPath(built);
        }
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Oriel.sln")) && Directory.Exists(Path.Combine(dir.FullName, "src")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException($"no Oriel.sln above {AppContext.BaseDirectory}");
    }

    private static Dictionary<string, SourceProject> LoadProjects()
    {
        var projects = new Dictionary<string, SourceProject>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(Path.Combine(Root, "src"), "*.csproj", SearchOption.AllDirectories))
        {
            var xml = XDocument.Load(file);
            var name = Path.GetFileNameWithoutExtension(file);
            var optOut = xml.Descendants("OrielCoreTier").Any(e => string.Equals(e.Value.Trim(), "false", StringComparison.OrdinalIgnoreCase));
            var references = xml.Descendants("ProjectReference")
                .Select(e => Path.GetFileNameWithoutExtension(e.Attribute("Include")!.Value.Replace('\\', '/')))
                .ToArray();
            var packages = xml.Descendants("PackageReference").Select(e => e.Attribute("Include")!.Value).ToArray();
            projects.Add(name, new SourceProject(name, file, !optOut, references, packages));
        }
        return projects;
    }
}
