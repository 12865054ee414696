/// <summary>A workflow document to report on: the name shown and where it is.</summary>
internal sealed record WorkflowFile(string DisplayName, string FullPath);

/// <summary>Finds the documents to report on, in a stable order so that the output is the same on every machine.</summary>
internal static class WorkflowFiles
{
    /// <summary>Every <c>*.json</c> under <paramref name="root"/>, sub-folders included, sorted by relative path (ordinal, '/' separators).</summary>
    public static IReadOnlyList<WorkflowFile> All(string root) =>
        !Directory.Exists(root)
            ? []
            : Directory.EnumerateFiles(root, "*.json", SearchOption.AllDirectories)
                .Select(path => new WorkflowFile(Normalize(Path.GetRelativePath(root, path)), path))
                .OrderBy(file => file.DisplayName, StringComparer.Ordinal)
                .ToList();

    /// <summary>
    /// The document at <paramref name="path"/>, relative to the current directory or, failing that, to the sample's
    /// <c>workflows/</c> folder (so <c>invalid/cycle-and-missing.json</c> works from anywhere).
    /// </summary>
    public static IReadOnlyList<WorkflowFile> One(string path, string root)
    {
        foreach (var candidate in new[] { Path.GetFullPath(path), Path.GetFullPath(Path.Combine(root, path)) })
        {
            if (File.Exists(candidate))
            {
                return [new WorkflowFile(Normalize(path), candidate)];
            }
        }

        return [];
    }

    private static string Normalize(string path) => path.Replace('\\', '/');
}
