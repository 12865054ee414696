using Orchestrator.Core.Execution.Operations;
using Orchestrator.Core.Model;

namespace Orchestrator.Core.Tests.Execution.Operations;

public class ComparisonOperationsTests
{
    private static string Run(string operation, string? format, string left, string right)
    {
        var formatJson = format is null ? string.Empty : $", \"outputFormat\": \"{format}\"";
        var step = TestScope.Step<ComparisonStep>($$"""{"id": "c", "type": "comparison", "left": "input.l", "right": "input.r", "operation": "{{operation}}"{{formatJson}} }""");
        return TestScope.Text(ComparisonOperations.Compare(step, TestJson.Parse(left), TestJson.Parse(right)));
    }

    [Theory]
    [InlineData("equals", "3", "\"3\"", "true")]
    [InlineData("equals", "{\"a\":1}", "{\"a\":2}", "false")]
    [InlineData("deep_equals", "3", "\"3\"", "false")]
    [InlineData("deep_equals", "{\"a\":[1,2]}", "{\"a\":[1,2]}", "true")]
    [InlineData("contains", "\"hello world\"", "\"lo w\"", "true")]
    [InlineData("contains", "[1,2,3]", "2", "true")]
    [InlineData("contains", "[1,2,3]", "[3,1]", "true")]
    [InlineData("contains", "[1,2]", "[3]", "false")]
    [InlineData("contains", "{\"a\":1,\"b\":{\"c\":2,\"d\":3}}", "{\"b\":{\"c\":2}}", "true")]
    [InlineData("contains", "{\"a\":1}", "{\"a\":2}", "false")]
    [InlineData("contains", "{\"a\":1}", "\"a\"", "true")]
    [InlineData("contains", "null", "1", "false")]
    [InlineData("subset", "[1,2]", "[2,1,3]", "true")]
    [InlineData("subset", "[1,4]", "[2,1,3]", "false")]
    [InlineData("subset", "{\"a\":1}", "{\"a\":1,\"b\":2}", "true")]
    [InlineData("subset", "2", "[1,2]", "true")]
    [InlineData("subset", "[1]", "{\"a\":1}", "false")]
    [InlineData("diff", "{\"a\":1}", "{\"a\":1}", "true")]
    [InlineData("diff", "[1]", "[2]", "false")]
    public void Compare_BooleanFormat_ReturnsResult(string operation, string left, string right, string expected) =>
        Assert.Equal(expected, Run(operation, "boolean", left, right));

    [Fact]
    public void Compare_ObjectDiff_ReportsAddedRemovedChanged() =>
        Assert.Equal(
            """{"added":{"c":3},"removed":{"a":1},"changed":{"b":{"from":1,"to":2}}}""",
            Run("diff", null, """{"a":1,"b":1,"k":0}""", """{"b":2,"c":3,"k":0}"""));

    [Fact]
    public void Compare_ListDiff_MatchesElementsOneForOne() =>
        Assert.Equal("""{"added":[3],"removed":[1]}""", Run("diff", "diff", "[1,1,2]", "[1,2,3]"));

    [Fact]
    public void Compare_ScalarDiff_ReportsFromAndTo() =>
        Assert.Equal("""{"from":"a","to":null}""", Run("equals", "diff", "\"a\"", "null"));

    [Fact]
    public void Compare_DetailedFormat_HoldsResultOperationAndDiff() =>
        Assert.Equal(
            """{"equal":true,"operation":"subset","diff":{"added":{"b":2},"removed":{},"changed":{}}}""",
            Run("subset", "detailed", """{"a":1}""", """{"a":1,"b":2}"""));

    [Fact]
    public void Compare_NoFormat_BooleanExceptForDiff()
    {
        Assert.Equal("true", Run("equals", null, "1", "1"));
        Assert.Equal("{}", Run("diff", null, "1", "1"));
    }

    [Fact]
    public void Compare_MissingValues_CountAsNull()
    {
        var step = TestScope.Step<ComparisonStep>("""{"id": "c", "type": "comparison", "left": "input.l", "right": "input.r", "operation": "deep_equals"}""");

        Assert.Equal("true", TestScope.Text(ComparisonOperations.Compare(step, default, TestJson.Parse("null"))));
    }
}
