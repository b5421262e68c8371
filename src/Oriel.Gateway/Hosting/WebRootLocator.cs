namespace Oriel.Gateway.Hosting;

/// <summary>
/// Finds the built web client. An explicit path (--web-root or "webRoot" in the config file) wins. Otherwise the
/// first directory containing index.html among: <c>wwwroot</c> next to the executable (a published layout), then
/// <c>web/dist</c> in the content root (the current directory) and each of its parents, then <c>web/dist</c> in
/// each parent of the executable's directory (running from a source checkout's bin/ folder).
/// </summary>
public static class WebRootLocator
{
    private const int MaxParents = 8;

    public static string? Find(string? configured, string contentRoot, string baseDirectory)
    {
        if (configured is not null)
        {
            return File.Exists(Path.Combine(configured, "index.html")) ? Path.GetFullPath(configured) : null;
        }

        var published = Path.Combine(baseDirectory, "wwwroot");
        if (File.Exists(Path.Combine(published, "index.html")))
        {
            return published;
        }

        return SearchUp(contentRoot) ?? SearchUp(baseDirectory);
    }

    private static string? SearchUp(string start)
    {
        var dir = new DirectoryInfo(Path.GetFullPath(start));
        for (var i = 0; dir is not null && i <= MaxParents; i++, dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "web", "dist");
            if (File.Exists(Path.Combine(candidate, "index.html")))
            {
                return candidate;
            }
        }

        return null;
    }
}
