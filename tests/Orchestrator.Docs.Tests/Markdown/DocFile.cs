using System.Text.RegularExpressions;

namespace Orchestrator.Docs.Tests.Markdown;

/// <summary>One Markdown file of the documentation, split into fenced code blocks, prose lines, links and headings.</summary>
public sealed partial class DocFile
{
    private DocFile(string path, string relativePath, string[] lines, List<CodeBlock> blocks, bool[] inCode)
    {
        FullPath = path;
        RelativePath = relativePath;
        Lines = lines;
        Blocks = blocks;
        InCode = inCode;
    }

    /// <summary>The absolute path of the file.</summary>
    public string FullPath { get; }

    /// <summary>The path relative to the repository root, with '/' separators.</summary>
    public string RelativePath { get; }

    /// <summary>The file's lines.</summary>
    public IReadOnlyList<string> Lines { get; }

    /// <summary>The fenced code blocks, in file order.</summary>
    public IReadOnlyList<CodeBlock> Blocks { get; }

    private bool[] InCode { get; }

    /// <summary>Reads and splits a Markdown file.</summary>
    public static DocFile Read(string fullPath, string relativePath)
    {
        var lines = File.ReadAllText(fullPath).ReplaceLineEndings("\n").Split('\n');
        var blocks = new List<CodeBlock>();
        var inCode = new bool[lines.Length];
        for (var i = 0; i < lines.Length; i++)
        {
            var trimmed = lines[i].TrimStart();
            if (!trimmed.StartsWith("```", StringComparison.Ordinal))
            {
                continue;
            }

            var indent = lines[i].Length - trimmed.Length;
            var fence = trimmed[..(trimmed.Length - trimmed.TrimStart('`').Length)];
            var info = trimmed[fence.Length..].Trim();
            var language = info.Split(' ', 2)[0];
            var content = new List<string>();
            var start = i;
            inCode[i] = true;
            for (i++; i < lines.Length && !IsClosingFence(lines[i], fence); i++)
            {
                inCode[i] = true;
                content.Add(lines[i].Length >= indent && string.IsNullOrWhiteSpace(lines[i][..indent]) ? lines[i][indent..] : lines[i].TrimStart());
            }

            if (i < lines.Length)
            {
                inCode[i] = true;
            }

            blocks.Add(new CodeBlock(relativePath, start + 1, language, info, string.Join('\n', content), MarkerBefore(lines, start)));
        }

        return new DocFile(fullPath, relativePath, lines, blocks, inCode);
    }

    /// <summary>The relative links of the prose (not of code), with their line: <c>(line, target)</c>.</summary>
    public IEnumerable<(int Line, string Target)> RelativeLinks()
    {
        for (var i = 0; i < Lines.Count; i++)
        {
            if (InCode[i])
            {
                continue;
            }

            var prose = InlineCode().Replace(Lines[i], string.Empty);
            foreach (Match match in Link().Matches(prose))
            {
                var target = match.Groups["target"].Value.Trim();
                if (!target.Contains("://", StringComparison.Ordinal) && !target.StartsWith("mailto:", StringComparison.Ordinal))
                {
                    yield return (i + 1, target);
                }
            }
        }
    }

    /// <summary>The anchors GitHub gives the headings of this file (lower-case, punctuation removed, spaces as '-', repeats numbered).</summary>
    public IReadOnlySet<string> Anchors()
    {
        var anchors = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < Lines.Count; i++)
        {
            if (InCode[i] || !Lines[i].StartsWith('#'))
            {
                continue;
            }

            var heading = Lines[i].TrimStart('#').Trim();
            var slug = new string([.. heading.ToLowerInvariant().Where(c => char.IsLetterOrDigit(c) || c is ' ' or '-' or '_')]).Replace(' ', '-');
            var candidate = slug;
            for (var n = 1; !anchors.Add(candidate); n++)
            {
                candidate = $"{slug}-{n}";
            }
        }

        return anchors;
    }

    private static bool IsClosingFence(string line, string fence)
    {
        var trimmed = line.Trim();
        return trimmed.Length >= fence.Length && trimmed.All(c => c == '`');
    }

    private static string? MarkerBefore(string[] lines, int fenceIndex)
    {
        for (var j = fenceIndex - 1; j >= 0; j--)
        {
            var line = lines[j].Trim();
            if (line.Length == 0)
            {
                continue;
            }

            return line.StartsWith("<!--", StringComparison.Ordinal) && line.EndsWith("-->", StringComparison.Ordinal)
                ? line[4..^3].Trim()
                : null;
        }

        return null;
    }

    [GeneratedRegex(@"`[^`]*`")]
    private static partial Regex InlineCode();

    [GeneratedRegex(@"\[[^\]]*\]\((?<target>[^)\s]+)(\s+""[^""]*"")?\)")]
    private static partial Regex Link();
}
