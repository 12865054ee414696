using Orchestrator.Core.Execution.Operations;
using Orchestrator.Core.Model;

namespace Orchestrator.Core.Tests.Execution.Operations;

public class ValidationOperationsTests
{
    private static string Run(string schemaAndRules, string input)
    {
        var step = TestScope.Step<ValidationStep>("""{"id": "v", "type": "validation", "input": "input.x" """ + schemaAndRules + "}");
        return TestScope.Text(ValidationOperations.Validate(step, TestJson.Parse(input), new TestScope("""{"limit": 3}""")));
    }

    [Fact]
    public void Validate_ValidInput_ReportsValidWithNoErrors() =>
        Assert.Equal("""{"valid":true,"errors":[]}""", Run(""", "schema": {"type": "object", "required": ["name"], "properties": {"name": {"type": "string", "minLength": 1}}}""", """{"name": "ann"}"""));

    [Theory]
    [InlineData("""{"type": "string"}""", "3", """{"valid":false,"errors":[{"field":null,"message":"The input must be of type string, not a number."}]}""")]
    [InlineData("""{"type": "integer"}""", "3.5", """{"valid":false,"errors":[{"field":null,"message":"The input must be of type integer, not a number."}]}""")]
    [InlineData("""{"type": "integer"}""", "3.0", """{"valid":true,"errors":[]}""")]
    [InlineData("""{"type": ["string", "null"]}""", "null", """{"valid":true,"errors":[]}""")]
    [InlineData("""{"type": "strng"}""", "\"a\"", """{"valid":false,"errors":[{"field":null,"message":"The schema names an unknown type: strng."}]}""")]
    [InlineData("""{"minLength": 2, "maxLength": 3}""", "\"abcd\"", """{"valid":false,"errors":[{"field":null,"message":"The input must have at most 3 characters."}]}""")]
    [InlineData("""{"minLength": 2}""", "[1]", """{"valid":false,"errors":[{"field":null,"message":"The input must have at least 2 elements."}]}""")]
    [InlineData("""{"min": 1, "max": 5}""", "0", """{"valid":false,"errors":[{"field":null,"message":"The input must be at least 1."}]}""")]
    [InlineData("""{"minimum": 1, "maximum": 5}""", "6", """{"valid":false,"errors":[{"field":null,"message":"The input must be at most 5."}]}""")]
    [InlineData("""{"pattern": "^[a-z]+$"}""", "\"abc\"", """{"valid":true,"errors":[]}""")]
    [InlineData("""{"pattern": "("}""", "\"abc\"", """{"valid":false,"errors":[{"field":null,"message":"The input does not match the pattern (."}]}""")]
    [InlineData("""{"required": ["a", "b"]}""", """{"a": 1, "b": null}""", """{"valid":false,"errors":[{"field":"b","message":"b is required."}]}""")]
    [InlineData("""{"properties": {"user": {"properties": {"age": {"type": "number", "min": 18}}}}}""", """{"user": {"age": 12}}""", """{"valid":false,"errors":[{"field":"user.age","message":"user.age must be at least 18."}]}""")]
    public void Validate_SchemaKeys_ReportErrors(string schema, string input, string expected) =>
        Assert.Equal(expected, Run(""", "schema": """ + schema, input));

    [Fact]
    public void Validate_SchemaOnWrongShape_ReportsAllProblemsWithoutThrowing() =>
        Assert.Equal(
            """{"valid":false,"errors":[{"field":null,"message":"The input must be of type object, not a list."},{"field":"a","message":"a is required."}]}""",
            Run(""", "schema": {"type": "object", "required": ["a"], "properties": {"a": {"type": "string"}}}""", "[1]"));

    [Fact]
    public void Validate_Rules_EvaluateWithItemAndValue()
    {
        const string rules = """
            , "rules": [
              {"field": "email", "condition": {"field": "value", "operator": "matches", "value": "@"}, "message": "email needs an @"},
              {"field": "count", "condition": "{{value}} <= {{input.limit}}", "message": "too many"},
              {"condition": {"field": "item.count", "operator": ">", "value": 0}, "message": "count positive"},
              {"field": "phone"}
            ]
            """;

        Assert.Equal(
            """{"valid":false,"errors":[{"field":"email","message":"email needs an @"},{"field":"count","message":"too many"},{"field":"phone","message":"phone does not meet a rule."}]}""",
            Run(rules, """{"email": "ann.example.org", "count": 4}"""));
    }
}
