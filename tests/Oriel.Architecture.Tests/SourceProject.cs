namespace Oriel.Architecture.Tests;

/// <summary>One src/ project as its csproj declares it.</summary>
/// <param name="Name">File name without .csproj (the assembly name, except for the gateway's <c>oriel</c>).</param>
/// <param name="Path">Full path of the csproj.</param>
/// <param name="IsCore">False when the csproj opts out with <c>&lt;OrielCoreTier&gt;false&lt;/OrielCoreTier&gt;</c>.</param>
/// <param name="ProjectReferences">Names of the projects it references directly.</param>
/// <param name="PackageReferences">Packages it references in its csproj.</param>
internal sealed record SourceProject(string Name, string Path, bool IsCore, IReadOnlyList<string> ProjectReferences, IReadOnlyList<string> PackageReferences);
