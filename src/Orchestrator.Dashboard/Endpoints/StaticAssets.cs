using System.Collections.Frozen;
using Microsoft.AspNetCore.Http;

namespace Orchestrator.Dashboard.Endpoints;

/// <summary>The front-end files embedded in the assembly, read once.</summary>
internal static class StaticAssets
{
    private static readonly FrozenDictionary<string, string> s_types = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["dashboard.css"] = "text/css; charset=utf-8",
        ["dashboard.js"] = "text/javascript; charset=utf-8",
        ["mermaid.min.js"] = "text/javascript; charset=utf-8",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly Lazy<FrozenDictionary<string, byte[]>> s_files = new(Load);

    public static IResult Serve(string name) =>
        s_types.TryGetValue(name, out var type) && s_files.Value.TryGetValue(name, out var bytes)
            ? Results.Bytes(bytes, type)
            : Results.NotFound();

    private static FrozenDictionary<string, byte[]> Load()
    {
        var assembly = typeof(StaticAssets).Assembly;
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var name in s_types.Keys)
        {
            using var stream = assembly.GetManifestResourceStream("Orchestrator.Dashboard.Assets." + name)
                ?? throw new InvalidOperationException($"The dashboard asset '{name}' is not embedded in {assembly.GetName().Name}.");
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            files[name] = copy.ToArray();
        }

        return files.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
