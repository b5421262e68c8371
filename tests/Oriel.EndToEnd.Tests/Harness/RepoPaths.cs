namespace Oriel.EndToEnd.Tests.Harness;

/// <summary>Finds the repository (the folder holding Oriel.sln) and the built web client.</summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string WebDist
    {
        get
        {
            var dist = Path.Combine(Root, "web", "dist");
            if (!File.Exists(Path.Combine(dist, "index.html")))
            {
                throw new InvalidOperationException($"The web client is not built ({dist}/index.html is missing): run `cd web && npm install && npm run build` (scripts/test does).");
            }
            return dist;
        }
    }

    private static string FindRoot([System.Runtime.CompilerServices.CallerFilePath] string sourceFile = "")
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Path.GetDirectoryName(sourceFile) ?? "", Environment.CurrentDirectory })
        {
            for (var dir = string.IsNullOrEmpty(start) ? null : new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Oriel.sln")))
                {
                    return dir.FullName;
                }
            }
        }
        throw new InvalidOperationException("Oriel.sln not found above " + AppContext.BaseDirectory);
    }
}
