using System.Text.RegularExpressions;
using Orchestrator.Cli.Tests.TestSupport;

namespace Orchestrator.Cli.Tests;

/// <summary>
/// Runs the examples of docs/cli.md: every <c>```json file=NAME</c> block is written as a file beside copies of the
/// fixtures, and every <c>```console</c> block's command runs against them; its output must be the block's text
/// (standard error, then standard output, then <c>exit N</c> when the command ends with <c>; echo "exit $?"</c>).
/// </summary>
public sealed partial class DocsExamplesTests
{
    private const string Prompt = "$ orchestrator ";
    private const string EchoExit = "; echo \"exit $?\"";

    public static TheoryData<string> ConsoleExamples()
    {
        var data = new TheoryData<string>();
        foreach (var commandLine in ConsoleCommandLines())
        {
            data.Add(commandLine);
        }

        return data;
    }

    [Fact]
    public void Docs_HaveConsoleExamplesOfEveryCommand()
    {
        var commands = ConsoleCommandLines();

        Assert.Contains(commands, c => c.StartsWith(Prompt + "validate", StringComparison.Ordinal));
        Assert.Contains(commands, c => c.StartsWith(Prompt + "plan", StringComparison.Ordinal));
        Assert.Contains(commands, c => c.StartsWith(Prompt + "run", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(ConsoleExamples))]
    public async Task Docs_ConsoleExample_PrintsWhatTheDocsShow(string commandLine)
    {
        var block = Blocks().First(b => b.Language == "console" && b.Text.Split('\n')[0] == commandLine);
        using var temp = new TempDirectory();
        CopyFixtures(temp.Path);
        foreach (var file in Blocks().Where(b => b.FileName is not null))
        {
            temp.Write(file.FileName!, file.Text + "\n");
        }

        Assert.StartsWith(Prompt, commandLine, StringComparison.Ordinal);
        var command = commandLine[Prompt.Length..];
        var echoExit = command.EndsWith(EchoExit, StringComparison.Ordinal);
        command = echoExit ? command[..^EchoExit.Length] : command;
        var args = command.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(a => a.EndsWith(".json", StringComparison.Ordinal) ? Path.Combine(temp.Path, a) : a)
            .ToArray();

        var result = await CliRunner.RunAsync(args);

        var actual = (result.Stderr + result.Stdout).Replace(temp.Path + Path.DirectorySeparatorChar, string.Empty, StringComparison.Ordinal);
        if (echoExit)
        {
            actual += $"exit {result.ExitCode}\n";
        }

        var expected = string.Join('\n', block.Text.Split('\n').Skip(1));
        Assert.Equal(Normalize(expected), Normalize(actual));
    }

    private static List<string> ConsoleCommandLines() =>
        [.. Blocks().Where(b => b.Language == "console").Select(b => b.Text.Split('\n')[0])];

    private static string Normalize(string text) =>
        string.Join('\n', text.ReplaceLineEndings("\n").TrimEnd().Split('\n').Select(l => l.TrimEnd()));

    private static void CopyFixtures(string target)
    {
        var source = Path.Combine(AppContext.BaseDirectory, "Fixtures");
        foreach (var file in Directory.EnumerateFiles(source, "*.json", SearchOption.AllDirectories))
        {
            var destination = Path.Combine(target, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination);
        }
    }

    private static List<(string Language, string? FileName, string Text)> Blocks()
    {
        var markdown = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Docs", "cli.md")).ReplaceLineEndings("\n");
        return [.. FencedBlock().Matches(markdown).Select(m => (
            m.Groups["lang"].Value,
            m.Groups["file"].Success ? m.Groups["file"].Value : null,
            m.Groups["text"].Value))];
    }

    [GeneratedRegex(@"^```(?<lang>\w+)(?: file=(?<file>\S+))?\n(?<text>.*?)\n```$", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex FencedBlock();
}
