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
    public void Apply_Group_BuildsGroupedGroupsKeysCountAndNamedListsInFirstSeenOrder_SkippingItemsWithoutKey() =>
        Assert.Equal(
            """{"grouped":{"b":[{"k":"b","i":0},{"k":"b","i":2}],"a":[{"k":"a","i":1}]},"groups":[{"key":"b","items":[{"k":"b","i":0},{"k":"b","i":2}],"count":2},{"key":"a","items":[{"k":"a","i":1}],"count":1}],"keys":["b","a"],"count":2,"b":[{"k":"b","i":0},{"k":"b","i":2}],"a":[{"k":"a","i":1}]}""",
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
            [ { "search": {"results": []}, "digest": {"decision": "Three sentences."} },
              { "search": {"results": []}, "digest": {"decision": ""} },
              { "error": "timeout", "item": "topic c" },
              { "digest": {"decision": "More."} } ]
            """);

        var filtered = TransformOperations.Apply(filter, gathered, new TestScope());
        var counted = TransformOperations.Apply(count, filtered.Value, new TestScope());

        Assert.True(filtered.Success);
        Assert.Equal(2, filtered.Value.GetArrayLength());
        Assert.Equal("""{"n":2}""", TestScope.Text(counted.Value));
    }

    [Fact]
    public void Apply_SetWithoutMapping_IsTheIdentityOnInput() =>
        Assert.Equal("""{"a":[1,2]}""", Run("set", "{}", """{"a":[1,2]}"""));

    [Fact]
    public void Apply_SortBy_OrdersByEachLevelWithItsDirection() =>
        Assert.Equal(
            """[{"d":"A","n":5},{"d":"A","n":1},{"d":"B","n":1}]""",
            Run("sort", """{"sort_by": [{"field": "d", "direction": "asc"}, {"field": "n", "direction": "desc"}]}""", """[{"d":"B","n":1},{"d":"A","n":1},{"d":"A","n":5}]"""));

    [Fact]
    public void Apply_GroupWithArrayFormat_UsesKeyAndItemsFieldNames() =>
        Assert.Equal(
            """[{"team":"x","rows":[{"k":"x"},{"k":"x"}]},{"team":"y","rows":[{"k":"y"}]}]""",
            Run("group", """{"field": "k", "output_format": "array", "key_field": "team", "items_field": "rows"}""", """[{"k":"x"},{"k":"y"},{"k":"x"}]"""));

    [Fact]
    public void Apply_GroupByRulesGroupBy_GroupsByThatField() =>
        Assert.Equal("""["x","y"]""", TestScope.Text(TestJson.Parse(Run("group", """{"rules": {"group_by": "k"}}""", """[{"k":"x"},{"k":"y"}]""")).GetProperty("keys")));

    [Fact]
    public void Apply_AggregateSameFieldTwiceWithoutAlias_NamesFiguresFieldFunction() =>
        Assert.Equal("""{"v_sum":3,"v_max":2}""", Run("aggregate", """{"aggregations": [{"field": "v", "operation": "sum"}, {"field": "v", "operation": "max"}]}""", """[{"v":"1"},{"v":"x"},{"v":"2"}]"""));

    [Fact]
    public void Apply_RowsToObjects_DetectsTheHeaderRowAndLowercasesNames() =>
        Assert.Equal("""[{"name":"a","unit_qty":1}]""", Run("rows_to_objects", "{}", """[["Title"],["",""],["Name","Unit Qty"],["a",1]]"""));

    [Fact]
    public void Apply_FlattenField_CarriesParentFieldsAndElementFieldsWin() =>
        Assert.Equal(
            """[{"id":"m1","f":"a"},{"id":"m1","f":"b","s":"own"}]""",
            Run("flatten", """{"field": "att"}""", """[{"id":"m1","att":[{"f":"a"},{"f":"b","s":"own"}]},{"id":"m2","att":[]},{"id":"m3"}]"""));

    [Fact]
    public void Apply_WithFields_AddsTypedExpressionValuesPerItem() =>
        Assert.Equal(
            """[{"n":"A","a":5,"label":"A/5","big":false,"ok":true},{"n":"B","a":null,"label":"B/","big":false,"ok":false}]""",
            Run(
                "with_fields",
                """{"fields": [{"name": "label", "expression": {"kind": "concat", "args": [{"kind": "ref", "ref": "item", "field": "n"}, {"kind": "literal", "value": "/"}, {"kind": "ref", "ref": "item", "field": "a"}]}}, {"name": "big", "expression": {"kind": "if", "condition": {"conditionType": "simple", "field": "item.a", "operator": "gte", "value": 100}, "then": {"kind": "literal", "value": true}, "else": {"kind": "literal", "value": false}}}, {"name": "ok", "expression": {"kind": "all_not_null", "refs": ["n", "a"]}}]}""",
                """[{"n":"A","a":5},{"n":"B","a":null}]"""));

    [Fact]
    public void Apply_ProjectColumnByIndexOnScalarRow_FailsTheStep()
    {
        var step = TestScope.Step<TransformStep>("""{"id": "t", "type": "transform", "operation": "project_column", "input": "input.x", "config": {"column": {"kind": "by_index", "index": 0}}}""");

        var result = TransformOperations.Apply(step, TestJson.Parse("[1, 2]"), new TestScope());

        Assert.False(result.Success);
    }

    [Fact]
    public void Apply_ProjectColumnByIndexOnRowObjects_ReadsTheFieldAtThatPositionInDocumentOrder() =>
        Assert.Equal(
            """["m3",null]""",
            Run("project_column", """{"column": {"kind": "by_index", "index": 2}}""", """[{"Sender":"cy","Subject":"s","Message ID":"m3"},{"Sender":"dd"}]"""));

    [Fact]
    public void Apply_MapWithFieldMappingOfASheetHeader_ReadsTheWholeNameAsOneField() =>
        Assert.Equal(
            """[{"lead_name":"Ann Lee","company":"Acme"}]""",
            Run("map", """{"field_mapping": {"lead_name": "Lead Name", "company": "Company"}}""", """[{"Lead Name":"Ann Lee","Company":"Acme"}]"""));

    [Fact]
    public void Apply_MapWithFieldMappingOfSheetColumns_MakesEachItemARowInColumnOrder() =>
        Assert.Equal(
            """[["ann","Refund","m1"]]""",
            Run("map", """{"field_mapping": {"column_B": "subject", "column_A": "from", "column_C": "id"}}""", """[{"from":"ann","subject":"Refund","id":"m1"}]"""));

    [Fact]
    public void Apply_GroupWithArrayFormat_LeavesOutItemsWhoseKeyIsABlankString() =>
        Assert.Equal(
            """[{"key":"dana","items":[{"p":"dana"}]}]""",
            Run("group", """{"rules": {"group_by": "p"}, "output_format": "array"}""", """[{"p":"dana"},{"p":""}]"""));

    [Fact]
    public void Apply_SetDifference_KeepsItemsWhoseKeyIsNotInTheReference() =>
        Assert.Equal(
            """[{"id":"m2"}]""",
            Run("set_difference", """{"reference": [{"mid": "m1"}, null, {"other": 1}], "key_field": "id", "reference_key_field": "mid"}""", """[{"id":"m1"},{"id":"m2"}]"""));

    [Fact]
    public void Apply_DedupeAlias_TreatsObjectsWithTheSameKeysInAnyOrderAsDuplicates() =>
        Assert.Equal("""[{"a":1,"b":2}]""", Run("dedupe", "{}", """[{"a":1,"b":2},{"b":2,"a":1}]"""));

    [Fact]
    public void Apply_OnEmptyThrow_FailsWhenANonEmptyListGivesNothing()
    {
        var step = TestScope.Step<TransformStep>("""{"id": "t", "type": "transform", "operation": "filter", "input": "input.x", "config": {"condition": {"field": "item.n", "operator": "gt", "value": 9}, "_on_empty": "throw"}}""");

        var result = TransformOperations.Apply(step, TestJson.Parse("""[{"n":1}]"""), new TestScope());

        Assert.False(result.Success);
        Assert.Equal(TransformOperations.EmptyResultCode, result.ErrorCode);
    }

    [Fact]
    public void Apply_OnEmptyWarn_SucceedsWithTheEmptyList() =>
        Assert.Equal("[]", Run("filter", """{"condition": {"field": "item.n", "operator": "gt", "value": 9}, "_on_empty": "warn"}""", """[{"n":1}]"""));
}
