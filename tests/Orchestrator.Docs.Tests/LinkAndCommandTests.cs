using System.Text.RegularExpressions;
using Orchestrator.Docs.Tests.Markdown;

namespace Orchestrator.Docs.Tests;

/// <summary>
/// The docs point at things that exist: relative links name existing files and headings; shell blocks run projects
/// and solutions that exist; every block says what language it is in (so none escapes its check by a typo).
/// </summary>
public sealed partial class LinkAndCommandTests
{
    /// <summary>The fence languages the docs use and how each is checked (the rest are not executed).</summary>
    private static readonly HashSet<string> KnownLanguages =
        ["", "csharp", "json", "bash", "sh", "console", "text", "mermaid"];

    public static TheoryData<string> Files()
    {
        var data = new TheoryData<string>();
        foreach (var file in DocSet.Files)
        {
            data.Add(file.RelativePath);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void RelativeLinks_PointToExistingFilesAndHeadings(string file)
    {
        var doc = DocSet.File(file);
        var broken = new List<string>();
        foreach (var (line, target) in doc.RelativeLinks())
        {
            var hash = target.IndexOf('#', StringComparison.Ordinal);
            var path = hash < 0 ? target : target[..hash];
            var anchor = hash < 0 ? null : target[(hash + 1)..];
            var targetPath = path.Length == 0 ? doc.FullPath : Path.GetFullPath(Path.Combine(Path.GetDirectoryName(doc.FullPath)!, path));
            if (!File.Exists(targetPath) && !Directory.Exists(targetPath))
            {
                broken.Add($"{file}:{line}: {target} (no such file)");
            }
            else if (anchor is not null && targetPath.EndsWith(".md", StringComparison.Ordinal)
                && !DocFile.Read(targetPath, path).Anchors().Contains(anchor))
            {
                broken.Add($"{file}:{line}: {target} (no such heading)");
            }
        }

        Assert.True(broken.Count == 0, "Broken links:\n" + string.Join('\n', broken));
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void ShellBlocks_NameProjectsThatExist(string file)
    {
        var missing = new List<string>();
        foreach (var block in DocSet.File(file).Blocks.Where(b => b.Language is "" or "bash" or "sh" or "console"))
        {
            foreach (Match match in DotnetCommand().Matches(block.Text))
            {
                var path = match.Groups["path"].Value;
                if (!File.Exists(Path.Combine(DocSet.Root, path)) && !Directory.Exists(Path.Combine(DocSet.Root, path)))
                {
                    missing.Add($"{block.Location}: {match.Value}");
                }
            }
        }

        Assert.True(missing.Count == 0, "Commands naming a path that does not exist:\n" + string.Join('\n', missing));
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Blocks_UseAKnownLanguage(string file)
    {
        var unknown = DocSet.File(file).Blocks.Where(b => !KnownLanguages.Contains(b.Language)).Select(b => $"{b.Location}: ```{b.Language}");

        Assert.Empty(unknown);
    }

    [Fact]
    public void Readme_FirstCommands_RunTheSampleThenTheTests()
    {
        var first = DocSet.File("README.md").Blocks[0].Text.Split('\n').Select(l => l.Split('#')[0].Trim()).ToList();

        Assert.Equal(["dotnet run --project samples/EmailSummaryAgent", "dotnet test Orchestrator.Core.sln -c Release"], first);
    }

    [Fact]
    public void Anchors_FollowGitHubRules()
    {
        var doc = DocSet.File("docs/hosting.md");

        Assert.Contains("usage-cost-credits-and-the-cost-ceiling", doc.Anchors());
    }

    [GeneratedRegex(@"dotnet (?:run\b[^\n]*?--project|test|build|pack) (?<path>[\w./-]+)")]
    private static partial Regex DotnetCommand();
}
