using Orchestrator.Core.Execution.Operations;
using Orchestrator.Core.Model;

namespace Orchestrator.Core.Tests.Execution.Operations;

public class TransformOperationsTests
{
    private static string Run(string operation, string configJson, string inputJson, TestScope? scope = null)
    {
        var step = TestScope.Step<TransformStep>($$"""{"id": "t", "type": "transform", "operation": "{{operation}}", "input": "input.x", "config": {{configJson}} }""");
        var result = TransformOperations.Apply(step, TestJson.Parse(inputJson), scope ?? new TestScope());
        Assert.True(result.Success, result.Error);
        return TestScope.Text(result.Value);
    }

    [Fact]
    public void Apply_MapWithPlainStringPaths_ReadsItemFields()
    {
        var output = Run("map", """{"mapping": {"q": "decision", "first": "tags[0]", "label": "not a path", "n": 1}}""", """[{"decision": "yes", "tags": ["a"]}, {}]""");

        Assert.Equal("""[{"q":"yes","first":"a","label":"not a path","n":1},{"q":null,"first":null,"label":"not a path","n":1}]""", output);
    }

    [Fact]
    public void Apply_MapWithTemplates_SeesItemIndexAndSteps()
    {
        var scope = new TestScope("""{"prefix": "#"}""");
        var output = Run("map", """{"mapping": {"id": "{{input.prefix}}{{index}}", "name": "{{item.name}}"}}""", """[{"name": "a"}, {"name": "b"}]""", scope);

        Assert.Equal("""[{"id":"#0","name":"a"},{"id":"#1","name":"b"}]""", output);
    }

    [Fact]
    public void Apply_FilterWithCondition_KeepsMatchingItems() =>
        Assert.Equal("""[{"n":3},{"n":5}]""", Run("filter", """{"condition": {"field": "item.n", "operator": ">", "value": 2}}""", """[{"n":1},{"n":3},{"n":5},"x"]"""));

    [Fact]
    public void Apply_FilterWithoutCondition_KeepsTruthyItems() =>
        Assert.Equal("""[1,"a",{}]""", Run("filter", "{}", """[0,1,"",null,"a",false,{}]"""));

    [Theory]
    [InlineData("sum", "\"n\"", "null", "6")]
    [InlineData("sum", "\"n\"", "10", "16")]
    [InlineData("count", "null", "null", "4")]
    [InlineData("count", "\"n\"", "null", "3")]
    [InlineData("concat", "\"tags\"", "null", "[\"a\",\"b\",\"c\"]")]
    [InlineData("concat", "\"name\"", "\"-\"", "\"-xyz\"")]
    [InlineData("merge", "\"extra\"", "{\"base\": true}", "{\"base\":true,\"k\":2,\"j\":1}")]
    public void Apply_Reduce_FoldsWithReducer(string reducer, string field, string initial, string expected)
    {
        const string input = """[{"n": 1, "tags": ["a"], "name": "x", "extra": {"k": 1}}, {"n": "2", "tags": "b", "name": "y", "extra": {"k": 2, "j": 1}}, {"n": 3, "tags": ["c"], "name": "z", "extra": 5}, {"n": null}]""";

        Assert.Equal(expected, Run("reduce", $$"""{"reducer": "{{reducer}}", "field": {{field}}, "initialValue": {{initial}} }""", input));
    }

    [Fact]
    public void Apply_SortAscending_NumbersThenStringsThenRestStable() =>
        Assert.Equal(
            """[{"v":"2","i":1},{"v":10,"i":0},{"v":10,"i":4},{"v":"b","i":2},{"v":null,"i":3},{"i":5}]""",
            Run("sort", """{"field": "v"}""", """[{"v":10,"i":0},{"v":"2","i":1},{"v":"b","i":2},{"v":null,"i":3},{"v":10,"i":4},{"i":5}]"""));

    [Fact]
    public void Apply_SortDescending_ReversesWithinNumbersAndStringsKeepsTiesInOrder() =>
        Assert.Equal(
            """[{"v":10,"i":0},{"v":10,"i":4},{"v":"2","i":1},{"v":"b","i":2},{"i":5}]""",
            Run("sort", """{"field": "item.v", "order": "desc"}""", """[{"v":10,"i":0},{"v":"2","i":1},{"v":"b","i":2},{"v":10,"i":4},{"i":5}]"""));

    [Fact]
    public void Apply_Group_BuildsObjectOfListsInFirstSeenOrder() =>
        Assert.Equal(
            """{"b":[{"k":"b","i":0},{"k":"b","i":2}],"a":[{"k":"a","i":1}],"":[{"i":3}]}""",
            Run("group", """{"field": "k"}""", """[{"k":"b","i":0},{"k":"a","i":1},{"k":"b","i":2},{"i":3}]"""));

    [Fact]
    public void Apply_Aggregate_ComputesEveryFunction() =>
        Assert.Equal(
            """{"total":6,"avg":2,"min":1,"max":3,"n":3,"none":null}""",
            Run(
                "aggregate",
                """{"aggregations": [{"field": "v", "operation": "sum", "alias": "total"}, {"field": "v", "operation": "avg", "alias": "avg"}, {"field": "v", "operation": "min", "alias": "min"}, {"field": "v", "operation": "max", "alias": "max"}, {"field": "v", "operation": "count", "alias": "n"}, {"field": "w", "operation": "avg", "alias": "none"}]}""",
                """[{"v":1},{"v":"2"},{"v":3},{"v":null},{}]"""));

    [Fact]
    public void Apply_Set_EvaluatesMappingOnceIgnoringInput()
    {
        var scope = new TestScope("""{"who": "ann"}""");

        Assert.Equal("""{"to":"ann","fixed":true}""", Run("set", """{"mapping": {"to": "{{input.who}}", "fixed": true}}""", "42", scope));
    }

    [Theory]
    [InlineData("map", """{"mapping": "x"}""", "{\"a\":1}", "an object")]
    [InlineData("filter", "{}", "\"text\"", "a string")]
    [InlineData("sort", "{}", "null", "null")]
    [InlineData("aggregate", "{}", "3", "a number")]
    public void Apply_NonListInput_FailsNamingStepAndKind(string operation, string config, string input, string kind)
    {
        var step = TestScope.Step<TransformStep>($$"""{"id": "shape", "type": "transform", "operation": "{{operation}}", "input": "input.x", "config": {{config}} }""");

        var result = TransformOperations.Apply(step, TestJson.Parse(input), new TestScope());

        Assert.False(result.Success);
        Assert.Equal("TRANSFORM_INPUT_NOT_A_LIST", result.ErrorCode);
        Assert.Contains("'shape'", result.Error, StringComparison.Ordinal);
        Assert.Contains(kind, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_ReduceWithoutReducer_FailsWithConfigMissing()
    {
        var step = TestScope.Step<TransformStep>("""{"id": "r", "type": "transform", "operation": "reduce", "input": "{{input.x}}"}""");

        var result = TransformOperations.Apply(step, TestJson.Parse("[1]"), new TestScope());

        Assert.Equal("TRANSFORM_CONFIG_MISSING", result.ErrorCode);
    }

    [Fact]
    public void Apply_ResearchDigestFilterThenCount_CountsNonEmptyDigests()
    {
        var definition = TestSupport.Workflows.Load(TestSupport.Workflows.Fixture("research-digest.json"));
        var filter = Assert.IsType<TransformStep>(definition.Steps.AsSpan().ToArray().Single(s => s.Id == "nonempty"));
        var count = Assert.IsType<TransformStep>(definition.Steps.AsSpan().ToArray().Single(s => s.Id == "count"));
        var gathered = TestJson.Parse("""
            [ { "search": {"data": {"results": []}}, "digest": {"data": {"decision": "Three sentences."}} },
              { "search": {"data": {"results": []}}, "digest": {"data": {"decision": ""}} },
              { "error": "timeout", "item": "topic c" },
              { "digest": {"data": {"decision": "More."}} } ]
            """);

        var filtered = TransformOperations.Apply(filter, gathered, new TestScope());
        var counted = TransformOperations.Apply(count, filtered.Value, new TestScope());

        Assert.True(filtered.Success);
        Assert.Equal(2, filtered.Value.GetArrayLength());
        Assert.Equal("""{"n":2}""", TestScope.Text(counted.Value));
    }
}
