using Orchestrator.Core.Model;
using Orchestrator.Mcp.Mapping;
using Orchestrator.Mcp.Tests.TestSupport;

namespace Orchestrator.Mcp.Tests.Mapping;

public class ToolParametersTests
{
    [Fact]
    public void Read_PropertiesAndRequired_BecomeNamedTypedParameters()
    {
        var parameters = ToolParameters.Read(TestSupport.Json.Parse("""
            { "type": "object",
              "properties": { "to": { "type": "string", "description": "Recipient" }, "cc": { "type": "array" }, "urgent": { "type": "boolean" } },
              "required": [ "to" ] }
            """));

        Assert.Equal(
            [("to", "string", true, "Recipient"), ("cc", "array", false, null), ("urgent", "boolean", false, null)],
            parameters.Select(p => (p.Name, p.Type, p.Required, p.Description)));
    }

    [Theory]
    [InlineData("""{ "type": [ "string", "null" ] }""", InputTypes.String)]
    [InlineData("""{ "type": [ "string", "number" ] }""", InputTypes.Any)]
    [InlineData("""{ "type": "null" }""", InputTypes.Any)]
    [InlineData("""{ "type": "integer" }""", InputTypes.Integer)]
    [InlineData("""{ "type": "date" }""", null)]
    [InlineData("""{ "anyOf": [ { "type": "string" } ] }""", null)]
    [InlineData("""true""", null)]
    public void Read_PropertyType_MapsToTheOrchestratorsTypeName(string schema, string? expected)
    {
        var parameter = Assert.Single(ToolParameters.Read(TestSupport.Json.Parse($$"""{ "properties": { "p": {{schema}} } }""")));

        Assert.Equal(expected, parameter.Type);
    }

    [Theory]
    [InlineData("""{ "type": "string", "writeOnly": true }""", true)]
    [InlineData("""{ "type": "string", "format": "password" }""", true)]
    [InlineData("""{ "type": "string", "format": "email" }""", false)]
    public void Read_WriteOnlyOrPasswordFormat_MarksTheParameterSensitive(string schema, bool sensitive) =>
        Assert.Equal(sensitive, Assert.Single(ToolParameters.Read(TestSupport.Json.Parse($$"""{ "properties": { "token": {{schema}} } }"""))).Sensitive);

    [Fact]
    public void Read_RequiredNameWithoutAProperty_IsStillARequiredParameter()
    {
        var parameters = ToolParameters.Read(TestSupport.Json.Parse("""{ "properties": { "a": {} }, "required": [ "b", "a" ] }"""));

        Assert.Equal([("a", true), ("b", true)], parameters.Select(p => (p.Name, p.Required)));
    }

    [Theory]
    [InlineData("""{ "type": "object" }""")]
    [InlineData("""{ }""")]
    [InlineData("""null""")]
    [InlineData("""{ "properties": [ 1 ], "required": "a" }""")]
    public void Read_SchemaWithoutUsableProperties_HasNoParameters(string schema) =>
        Assert.Empty(ToolParameters.Read(TestSupport.Json.Parse(schema)));
}
