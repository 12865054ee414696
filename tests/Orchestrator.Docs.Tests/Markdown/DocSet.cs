namespace Orchestrator.Docs.Tests.Markdown;

/// <summary>
/// The documentation under test: <c>README.md</c> and every <c>docs/*.md</c>, found on disk, so a new page is covered
/// without touching the tests.
/// </summary>
public static class DocSet
{
    private static readonly Lazy<string> LazyRoot = new(FindRoot);
    private static readonly Lazy<IReadOnlyList<DocFile>> LazyFiles = new(ReadFiles);

    /// <summary>The repository root (the folder holding <c>Orchestrator.Core.sln</c>).</summary>
    public static string Root => LazyRoot.Value;

    /// <summary>The documentation files, README first, then docs/ in name order.</summary>
    public static IReadOnlyList<DocFile> Files => LazyFiles.Value;

    /// <summary>Every fenced block of every file.</summary>
    public static IEnumerable<CodeBlock> Blocks => Files.SelectMany(f => f.Blocks);

    /// <summary>The blocks in one of <paramref name="languages"/>, as xunit theory data (file, line).</summary>
    public static TheoryData<string, int> BlockData(params string[] languages)
    {
        var data = new TheoryData<string, int>();
        foreach (var block in Blocks.Where(b => languages.Contains(b.Language, StringComparer.OrdinalIgnoreCase)))
        {
            data.Add(block.File, block.Line);
        }

        return data;
    }

    /// <summary>The block of <paramref name="file"/> whose fence is on <paramref name="line"/>.</summary>
    public static CodeBlock Block(string file, int line) =>
        Files.Single(f => f.RelativePath == file).Blocks.Single(b => b.Line == line);

    /// <summary>The file at <paramref name="relativePath"/>.</summary>
    public static DocFile File(string relativePath) => Files.Single(f => f.RelativePath == relativePath);

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (System.IO.File.Exists(Path.Combine(directory.FullName, "Orchestrator.Core.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No Orchestrator.Core.sln above {AppContext.BaseDirectory}: the docs tests read the docs from the repository.");
    }

    private static List<DocFile> ReadFiles()
    {
        var files = new List<DocFile> { DocFile.Read(Path.Combine(Root, "README.md"), "README.md") };
        files.AddRange(Directory.EnumerateFiles(Path.Combine(Root, "docs"), "*.md")
            .Order(StringComparer.Ordinal)
            .Select(path => DocFile.Read(path, "docs/" + Path.GetFileName(path))));
        return files;
    }
}
