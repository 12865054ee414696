using System.Text.Json;
using Orchestrator.Cli.Tests.TestSupport;
using Orchestrator.Core.Serialization;

namespace Orchestrator.Cli.Tests.Commands;

public sealed class SchemaCommandTests
{
    [Fact]
    public async Task Schema_Default_PrintsTheEditorSchemaShippedInTheCore()
    {
        var result = await CliRunner.RunAsync("schema");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(string.Empty, result.Stderr);
        var schema = result.Json();
        Assert.Equal(WorkflowSchema.Id, schema.GetProperty("$id").GetString());
        Assert.Equal("https://json-schema.org/draft/2020-12/schema", schema.GetProperty("$schema").GetString());
    }

    [Fact]
    public async Task Schema_StructuredOutputVariant_PrintsTheStrictSchema()
    {
        var result = await CliRunner.RunAsync("schema", "--variant", "structured-output");

        Assert.Equal(0, result.ExitCode);
        var schema = result.Json();
        Assert.Equal("object", schema.GetProperty("type").GetString());
        Assert.False(schema.GetProperty("additionalProperties").GetBoolean());
        Assert.Equal(JsonValueKind.Object, schema.GetProperty("$defs").ValueKind);
    }
}
