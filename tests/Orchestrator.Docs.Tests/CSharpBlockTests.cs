using Orchestrator.Core.Ports;
using Orchestrator.Docs.Tests.Harness;
using Orchestrator.Docs.Tests.Markdown;

namespace Orchestrator.Docs.Tests;

/// <summary>
/// Every ```csharp block of README.md and docs/*.md compiles (see <see cref="SnippetCompiler"/> for what a block may
/// use), unless the line before its fence is <c>&lt;!-- not-compiled: reason --&gt;</c>.
/// </summary>
public sealed class CSharpBlockTests
{
    /// <summary>The most blocks that may opt out of compiling. Prefer fixing a block to raising this.</summary>
    private const int MaxOptOuts = 0;

    public static TheoryData<string, int> CSharpBlocks() => DocSet.BlockData("csharp", "cs", "c#");

    [Theory]
    [MemberData(nameof(CSharpBlocks))]
    public void CSharpBlock_Compiles(string file, int line)
    {
        var block = DocSet.Block(file, line);
        if (block.HasMarker(Markers.NotCompiled))
        {
            return;
        }

        var errors = SnippetCompiler.CompileErrors(block);

        Assert.True(errors.Count == 0, $"The C# block at {block.Location} does not compile:\n{string.Join('\n', errors)}");
    }

    [Fact]
    public void CSharpBlocks_OptOuts_AreFewAndGiveAReason()
    {
        var optOuts = DocSet.Blocks.Where(b => b.HasMarker(Markers.NotCompiled)).ToList();

        Assert.All(optOuts, b => Assert.False(string.IsNullOrWhiteSpace(b.MarkerReason(Markers.NotCompiled)), $"{b.Location}: say why after 'not-compiled:'"));
        Assert.True(optOuts.Count <= MaxOptOuts, $"Blocks not compiled: {string.Join(", ", optOuts.Select(b => b.Location))}");
    }

    [Fact]
    public void CompileErrors_BrokenBlock_NameTheDocFileAndLine()
    {
        var block = new CodeBlock("docs/example.md", 10, "csharp", "csharp", "var x = 1;\nvar y = undefinedName;", null);

        var errors = SnippetCompiler.CompileErrors(block);

        Assert.Contains(errors, e => e.StartsWith("docs/example.md(12,9): error CS0103", StringComparison.Ordinal));
    }

    [Fact]
    public void CompileErrors_TypesOnlyBlock_CompilesAsALibrary()
    {
        var block = new CodeBlock("docs/example.md", 1, "csharp", "csharp", "public sealed class Echo : IPluginExecutor\n{\n    public ValueTask<PluginResult> ExecuteAsync(PluginRequest request, CancellationToken cancellationToken = default) =>\n        ValueTask.FromResult(PluginResult.Ok(request.Parameters));\n}", null);

        Assert.Empty(SnippetCompiler.CompileErrors(block));
    }
}
