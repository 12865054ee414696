using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orchestrator.Core.Execution;
using Orchestrator.Core.Serialization;
using Orchestrator.Mcp.Tests.TestSupport;

namespace Orchestrator.Mcp.Tests.RealServers;

/// <summary>Whole workflows against <c>@modelcontextprotocol/server-filesystem</c> 2026.8.31, hosted as a user would.</summary>
public sealed class FilesystemServerTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("orchestrator-mcp-files-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task ExecuteAsync_ContentWithAnEscapedLiteralBrace_WritesTheBracesAndTheReference()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddWorkflowOrchestrator().AddMcpServers(await NpmServers.NodeAsync("files", "server-filesystem", _folder));
        using var host = builder.Build();
        await host.StartAsync();
        var path = Path.Combine(_folder, "page.hbs");
        var loaded = WorkflowJson.Load($$$"""
            {
              "input_schema": [ { "name": "author", "type": "string", "required": true } ],
              "workflow_steps": [
                { "id": "write", "type": "action", "plugin": "files", "action": "write_file",
                  "params": { "path": {{{System.Text.Json.JsonSerializer.Serialize(path)}}}, "content": "<h1>\\{{title}}</h1> by {{input.author}}" } },
                { "id": "read", "type": "action", "plugin": "files", "action": "read_text_file",
                  "params": { "path": {{{System.Text.Json.JsonSerializer.Serialize(path)}}} }, "dependencies": [ "write" ] }
              ],
              "output_schema": [ { "name": "text", "source": "read.data.content" } ]
            }
            """);
        Assert.True(loaded.Succeeded, string.Join(Environment.NewLine, loaded.Diagnostics));

        var result = await host.Services.GetRequiredService<IWorkflowOrchestrator>().ExecuteAsync(
            loaded.Definition!, new WorkflowExecutionRequest { UserId = "u1", Inputs = TestSupport.Json.Parse("""{ "author": "Ada" }""") });
        await host.StopAsync();

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.Equal("<h1>{{title}}</h1> by Ada", await File.ReadAllTextAsync(path));
        Assert.Equal("<h1>{{title}}</h1> by Ada", result.Output.GetProperty("text").GetString());
    }
}
