using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Runtime.CompilerServices;

namespace Oriel.Architecture.Tests;

/// <summary>
/// The core-tier rule checked on the compiled core assemblies, independently of the analyzer that
/// enforces it at build time: what they reference, which types and members they call, and that they
/// hold no async code and no P/Invoke.
/// </summary>
public sealed class CoreAssemblyTests
{
    /// <summary>Reference assemblies that only I/O, networking, threads or processes need.</summary>
    private static readonly string[] BannedAssemblyPrefixes =
    [
        "System.Net", "System.Console", "System.Diagnostics.Process", "System.IO.FileSystem", "System.IO.Pipes",
        "System.IO.MemoryMappedFiles", "System.Threading.Thread", "System.Threading.ThreadPool", "System.Threading.Timer",
        "Microsoft.Win32", "Microsoft.Extensions", "Microsoft.AspNetCore",
    ];

    /// <summary>Types whose mere use is I/O, scheduling, a clock, randomness or native loading.</summary>
    private static readonly string[] BannedTypes =
    [
        "System.IO.File", "System.IO.FileInfo", "System.IO.Directory", "System.IO.DirectoryInfo", "System.IO.FileStream",
        "System.IO.StreamReader", "System.IO.StreamWriter", "System.Console", "System.Random",
        "System.Diagnostics.Stopwatch", "System.Diagnostics.Process", "System.Threading.Thread", "System.Threading.ThreadPool",
        "System.Threading.Timer", "System.Threading.PeriodicTimer", "System.Threading.Tasks.Parallel",
        "System.Runtime.InteropServices.NativeLibrary", "System.Security.Cryptography.RandomNumberGenerator",
        "System.Runtime.CompilerServices.AsyncTaskMethodBuilder", "System.Runtime.CompilerServices.AsyncValueTaskMethodBuilder",
        "System.Runtime.CompilerServices.AsyncVoidMethodBuilder",
    ];

    /// <summary>Members (type, name) that read a clock, schedule work or reach the process environment.</summary>
    private static readonly (string Type, string Member)[] BannedMembers =
    [
        ("System.DateTime", "get_Now"), ("System.DateTime", "get_UtcNow"), ("System.DateTime", "get_Today"),
        ("System.DateTimeOffset", "get_Now"), ("System.DateTimeOffset", "get_UtcNow"),
        ("System.Environment", "get_TickCount"), ("System.Environment", "get_TickCount64"),
        ("System.Environment", "GetEnvironmentVariable"), ("System.Environment", "Exit"),
        ("System.TimeProvider", "get_System"), ("System.Threading.Tasks.Task", "Run"), ("System.Threading.Tasks.Task", "Delay"),
        ("System.Threading.CancellationTokenSource", "CancelAfter"), ("System.Guid", "NewGuid"),
        ("System.Runtime.InteropServices.Marshal", "GetDelegateForFunctionPointer"),
    ];

    public static TheoryData<string> CoreProjects()
    {
        var data = new TheoryData<string>();
        foreach (var p in Repository.Core.OrderBy(p => p.Name, StringComparer.Ordinal))
        {
            data.Add(p.Name);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(CoreProjects))]
    public void References_no_io_network_thread_or_host_assembly(string project)
    {
        var assembly = Load(project);
        foreach (var reference in assembly.GetReferencedAssemblies())
        {
            var name = reference.Name!;
            Assert.False(BannedAssemblyPrefixes.Any(b => name.StartsWith(b, StringComparison.Ordinal)), $"{project} references {name}");
            if (name.StartsWith("Oriel", StringComparison.OrdinalIgnoreCase))
            {
                Assert.True(Repository.Projects.TryGetValue(name, out var target) && target.IsCore, $"{project} references {name}, which is not a core project");
            }
        }
    }

    [Theory]
    [MemberData(nameof(CoreProjects))]
    public void Uses_no_banned_type_or_member_and_declares_no_pinvoke(string project)
    {
        using var stream = File.OpenRead(Load(project).Location);
        using var pe = new PEReader(stream);
        var md = pe.GetMetadataReader();

        var types = md.TypeReferences.Select(h => FullName(md, md.GetTypeReference(h))).ToHashSet(StringComparer.Ordinal);
        Assert.True(types.Count > 0, $"{project}: no type references read"); // the check must see something
        foreach (var banned in BannedTypes)
        {
            Assert.False(types.Contains(banned), $"{project} uses {banned}");
        }
        Assert.False(types.Any(t => t.StartsWith("System.Net.", StringComparison.Ordinal)), $"{project} uses System.Net");

        foreach (var h in md.MemberReferences)
        {
            var member = md.GetMemberReference(h);
            var owner = OwnerName(md, member.Parent);
            var name = md.GetString(member.Name);
            Assert.False(BannedMembers.Contains((owner, name)), $"{project} calls {owner}.{name}");
        }

        foreach (var h in md.MethodDefinitions)
        {
            var method = md.GetMethodDefinition(h);
            Assert.True((method.Attributes & System.Reflection.MethodAttributes.PinvokeImpl) == 0,
                $"{project} declares the P/Invoke {md.GetString(method.Name)}");
        }
    }

    [Theory]
    [MemberData(nameof(CoreProjects))]
    public void Has_no_async_methods_and_no_task_returning_api(string project)
    {
        const BindingFlags All = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        var types = Load(project).GetTypes();
        Assert.NotEmpty(types);
        foreach (var type in types)
        {
            foreach (var method in type.GetMethods(All))
            {
                Assert.True(method.GetCustomAttribute<AsyncStateMachineAttribute>() is null && method.GetCustomAttribute<AsyncIteratorStateMachineAttribute>() is null,
                    $"{type.FullName}.{method.Name} is async: core code advances when called, it does not wait");
                if (method.IsPublic || method.IsFamily || method.IsFamilyOrAssembly)
                {
                    Assert.False(IsAsynchronous(method.ReturnType), $"{type.FullName}.{method.Name} returns {method.ReturnType.Name}");
                }
            }
        }
    }

    [Fact]
    public void Every_core_project_is_loaded_from_this_build()
    {
        // A new core project must be referenced by this test project so that the checks above see it.
        foreach (var project in Repository.Core)
        {
            var assembly = Load(project.Name);
            Assert.Equal(project.Name, assembly.GetName().Name);
        }
    }

    private static Assembly Load(string project)
    {
        try
        {
            return Assembly.Load(project);
        }
        catch (FileNotFoundException e)
        {
            throw new InvalidOperationException($"core project {project} is not referenced by Oriel.Architecture.Tests.csproj; add it there", e);
        }
    }

    private static bool IsAsynchronous(Type type)
    {
        if (type == typeof(Task) || type == typeof(ValueTask))
        {
            return true;
        }
        if (!type.IsGenericType)
        {
            return false;
        }
        var definition = type.GetGenericTypeDefinition();
        return definition == typeof(Task<>) || definition == typeof(ValueTask<>) || definition == typeof(IAsyncEnumerable<>);
    }

    private static string FullName(MetadataReader md, TypeReference type)
    {
        var name = md.GetString(type.Name);
        if (type.ResolutionScope.Kind == HandleKind.TypeReference)
        {
            return FullName(md, md.GetTypeReference((TypeReferenceHandle)type.ResolutionScope)) + "+" + name;
        }
        var ns = md.GetString(type.Namespace);
        return ns.Length == 0 ? name : ns + "." + name;
    }

    private static string OwnerName(MetadataReader md, EntityHandle parent) => parent.Kind switch
    {
        HandleKind.TypeReference => FullName(md, md.GetTypeReference((TypeReferenceHandle)parent)),
        HandleKind.TypeSpecification => "(generic instance)",
        _ => "(local)",
    };
}
