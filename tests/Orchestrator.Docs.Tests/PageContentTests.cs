using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orchestrator.Core.Execution;
using Orchestrator.Core.Ports;
using Orchestrator.Docs.Tests.Markdown;

namespace Orchestrator.Docs.Tests;

/// <summary>The pages keep the pieces a newcomer is promised (the blocks themselves are checked by the other tests).</summary>
public sealed class PageContentTests
{
    [Fact]
    public void GettingStarted_HasTheHostInTenLines()
    {
        var hostBlocks = DocSet.File("docs/getting-started.md").Blocks
            .Where(b => b.Language == "csharp" && b.Text.Contains("Host.CreateApplicationBuilder", StringComparison.Ordinal))
            .ToList();

        var block = Assert.Single(hostBlocks);
        foreach (var call in new[] { "AddWorkflowOrchestrator()", "AddPluginExecutor<", "AddLlmClient<", "ExecuteAsync(" })
        {
            Assert.Contains(call, block.Text, StringComparison.Ordinal);
        }

        var codeLines = block.Text.Split('\n').Count(l => l.Trim().Length > 0 && !l.StartsWith("using ", StringComparison.Ordinal));
        Assert.True(codeLines <= 10, $"The host takes {codeLines} lines, not ten.");
    }

    [Fact]
    public void Architecture_DiagramShowsThePipelineAndTheHostBoundary()
    {
        var diagram = Assert.Single(DocSet.File("docs/architecture.md").Blocks, b => b.Language == "mermaid").Text;

        foreach (var part in new[] { "WorkflowJson.Load", "WorkflowPlanner", "WorkflowOrchestrator", "IPluginExecutor", "ILlmClient", "IMemoryStore", "IAuditSink", "IExecutionMetricsSink", "checkpoint" })
        {
            Assert.Contains(part, diagram, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Readme_LinksEveryPageOfDocs()
    {
        var readme = string.Join('\n', DocSet.File("README.md").Lines);
        var unlinked = DocSet.Files.Where(f => f.RelativePath.StartsWith("docs/", StringComparison.Ordinal))
            .Select(f => f.RelativePath)
            .Where(path => !readme.Contains($"]({path}", StringComparison.Ordinal));

        Assert.Empty(unlinked);
    }

    [Fact]
    public void Hosting_ConfigurationExample_BindsToTheOptions()
    {
        var block = Assert.Single(DocSet.File("docs/hosting.md").Blocks, b => b.Language == "json" && b.Text.Contains("\"Orchestrator\"", StringComparison.Ordinal));
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(block.Text));
        var configuration = new ConfigurationBuilder().AddJsonStream(stream).Build();
        var services = new ServiceCollection();
        services.Configure<WorkflowOrchestratorOptions>(configuration.GetSection("Orchestrator"));
        using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<WorkflowOrchestratorOptions>>().Value;

        Assert.Equal(8, options.MaxParallelism);
        Assert.Equal(TimeSpan.FromSeconds(30), options.DefaultStepTimeout);
        Assert.Equal(0.05m, options.MaxRunCost);
        Assert.Equal(3, options.Memory.MaxRecentRuns);
        Assert.Equal(TimeSpan.FromSeconds(2), options.Audit.FlushTimeout);
        Assert.Equal(["customer_email"], options.Audit.RedactedKeys);
        Assert.Equal(0.60m, options.Pricing["gpt-4o-mini"].OutputPerMillionTokens);
    }
}
