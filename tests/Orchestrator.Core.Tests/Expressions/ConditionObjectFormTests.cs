using System.Text.Json;
using Orchestrator.Core.Expressions;

namespace Orchestrator.Core.Tests.Expressions;

public sealed class ConditionObjectFormTests
{
    public static TheoryData<string, string> BinaryOperators => new()
    {
        { "==", nameof(ConditionOperator.Equal) },
        { "equals", nameof(ConditionOperator.Equal) },
        { "!=", nameof(ConditionOperator.NotEqual) },
        { "not_equals", nameof(ConditionOperator.NotEqual) },
        { ">", nameof(ConditionOperator.GreaterThan) },
        { "greater_than", nameof(ConditionOperator.GreaterThan) },
        { ">=", nameof(ConditionOperator.GreaterThanOrEqual) },
        { "greater_than_or_equal", nameof(ConditionOperator.GreaterThanOrEqual) },
        { "<", nameof(ConditionOperator.LessThan) },
        { "less_than", nameof(ConditionOperator.LessThan) },
        { "<=", nameof(ConditionOperator.LessThanOrEqual) },
        { "less_than_or_equal", nameof(ConditionOperator.LessThanOrEqual) },
        { "contains", nameof(ConditionOperator.Contains) },
        { "not_contains", nameof(ConditionOperator.NotContains) },
        { "in", nameof(ConditionOperator.In) },
        { "not_in", nameof(ConditionOperator.NotIn) },
        { "matches", nameof(ConditionOperator.Matches) },
        { "starts_with", nameof(ConditionOperator.StartsWith) },
        { "ends_with", nameof(ConditionOperator.EndsWith) },
    };

    public static TheoryData<string, string> UnaryOperators => new()
    {
        { "exists", nameof(ConditionOperator.Exists) },
        { "not_exists", nameof(ConditionOperator.NotExists) },
        { "is_empty", nameof(ConditionOperator.IsEmpty) },
        { "is_not_empty", nameof(ConditionOperator.IsNotEmpty) },
    };

    [Theory]
    [MemberData(nameof(BinaryOperators))]
    public void Parse_BinaryOperatorSpelling_MapsToOperatorWithValue(string spelling, string expectedName)
    {
        var json = TestJson.Parse($$"""{ "field": "step1.data.count", "operator": "{{spelling}}", "value": 3 }""");

        var condition = Assert.IsType<ComparisonCondition>(Condition.Parse(json));

        Assert.Equal(Enum.Parse<ConditionOperator>(expectedName), condition.Operator);
        Assert.Equal(new ReferenceValue(ReferencePath.Parse("step1.data.count")), condition.Left);
        Assert.Equal(LiteralValue.FromJson("3"), condition.Right);
    }

    [Theory]
    [MemberData(nameof(UnaryOperators))]
    public void Parse_UnaryOperatorWithoutValue_HasNoRight(string spelling, string expectedName)
    {
        var json = TestJson.Parse($$"""{ "field": "step1.data.items", "operator": "{{spelling}}" }""");

        var condition = Assert.IsType<ComparisonCondition>(Condition.Parse(json));

        Assert.Equal(Enum.Parse<ConditionOperator>(expectedName), condition.Operator);
        Assert.Null(condition.Right);
    }

    [Fact]
    public void Parse_UnaryOperatorWithValue_IgnoresValue()
    {
        var condition = Assert.IsType<ComparisonCondition>(
            Condition.Parse(TestJson.Parse("""{ "field": "a", "operator": "exists", "value": true }""")));

        Assert.Null(condition.Right);
    }

    [Fact]
    public void Parse_OperatorInUpperCase_IsAccepted()
    {
        var condition = Assert.IsType<ComparisonCondition>(
            Condition.Parse(TestJson.Parse("""{ "field": "a", "operator": "CONTAINS", "value": "x" }""")));

        Assert.Equal(ConditionOperator.Contains, condition.Operator);
    }

    [Fact]
    public void Parse_BracedField_ReadsSamePathAsBare()
    {
        var braced = Condition.Parse(TestJson.Parse("""{ "field": "{{step3.data.decision}}", "operator": "==", "value": "urgent" }"""));
        var bare = Condition.Parse(TestJson.Parse("""{ "field": "step3.data.decision", "operator": "==", "value": "urgent" }"""));

        Assert.Equal(bare, braced);
    }

    [Fact]
    public void Parse_ValueWithReference_IsTemplate()
    {
        var condition = Assert.IsType<ComparisonCondition>(
            Condition.Parse(TestJson.Parse("""{ "field": "step1.data.n", "operator": ">", "value": "{{input.min}}" }""")));

        Assert.Equal(new ReferenceValue(ReferencePath.Parse("input.min")), condition.Right);
    }

    [Fact]
    public void Parse_BinaryOperatorWithoutValue_ThrowsNamingTheField()
    {
        var ex = Assert.Throws<TemplateSyntaxException>(
            () => Condition.Parse(TestJson.Parse("""{ "field": "step1.data.n", "operator": ">" }""")));

        Assert.Contains("step1.data.n", ex.Message, StringComparison.Ordinal);
        Assert.Contains("'value'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_MissingOperator_ThrowsListingKnownOperators()
    {
        var ex = Assert.Throws<TemplateSyntaxException>(
            () => Condition.Parse(TestJson.Parse("""{ "field": "step1.data.n", "value": 1 }""")));

        Assert.Contains("'operator'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("greater_than_or_equal", ex.Message, StringComparison.Ordinal);
        Assert.Contains("is_not_empty", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_UnknownOperator_ThrowsNamingItAndKnownOperators()
    {
        var ex = Assert.Throws<TemplateSyntaxException>(
            () => Condition.Parse(TestJson.Parse("""{ "field": "a", "operator": "approximately", "value": 1 }""")));

        Assert.Contains("'approximately'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("starts_with", ex.Message, StringComparison.Ordinal);
        Assert.Contains("not_in", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_MissingField_TestsValueTheRuleField()
    {
        var condition = Assert.IsType<ComparisonCondition>(Condition.Parse(TestJson.Parse("""{ "operator": "==", "value": 1 }""")));

        Assert.Equal("value", Assert.IsType<ReferenceValue>(condition.Left).Path.ToString());
    }

    [Fact]
    public void Parse_NeitherFieldNorOperator_ThrowsNamingTheForms()
    {
        var ex = Assert.Throws<TemplateSyntaxException>(() => Condition.Parse(TestJson.Parse("""{ "value": 1 }""")));

        Assert.Contains("'field'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("'conditionType'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_MalformedFieldPath_Throws()
    {
        Assert.Throws<TemplateSyntaxException>(() => Condition.Parse(TestJson.Parse("""{ "field": "a..b", "operator": "exists" }""")));
    }

    [Theory]
    [InlineData("42")]
    [InlineData("null")]
    [InlineData("[]")]
    public void Parse_NeitherObjectNorString_Throws(string json)
    {
        Assert.Throws<TemplateSyntaxException>(() => Condition.Parse(TestJson.Parse(json)));
    }

    [Fact]
    public void Parse_AndOrNot_BuildsNestedCombinators()
    {
        var json = TestJson.Parse("""
            {
              "and": [
                { "field": "a", "operator": "exists" },
                { "or": [
                    { "field": "b", "operator": "==", "value": 1 },
                    { "not": { "field": "c", "operator": "is_empty" } }
                ] },
                "{{d}} > 2"
              ]
            }
            """);

        var all = Assert.IsType<AllCondition>(Condition.Parse(json));

        Assert.Equal(3, all.Conditions.Count);
        Assert.Equal(ConditionOperator.Exists, Assert.IsType<ComparisonCondition>(all.Conditions[0]).Operator);
        var any = Assert.IsType<AnyCondition>(all.Conditions[1]);
        Assert.Equal(2, any.Conditions.Count);
        var not = Assert.IsType<NotCondition>(any.Conditions[1]);
        Assert.Equal(ConditionOperator.IsEmpty, Assert.IsType<ComparisonCondition>(not.Inner).Operator);
        var expression = Assert.IsType<ExpressionCondition>(all.Conditions[2]);
        Assert.Equal("{{d}} > 2", expression.Text);
    }

    [Fact]
    public void Parse_AndThatIsNotAList_Throws()
    {
        var ex = Assert.Throws<TemplateSyntaxException>(() => Condition.Parse(TestJson.Parse("""{ "and": { "field": "a", "operator": "exists" } }""")));

        Assert.Contains("'and'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_BooleanLiteral_IsTruthyCondition()
    {
        Assert.Equal(new TruthyCondition(LiteralValue.FromJson("true")), Condition.Parse(TestJson.Parse("true")));
    }

    [Fact]
    public void Parse_NestingBeyondMaxDepth_Throws()
    {
        var depth = ConditionParser.MaxDepth + 2;
        var json = string.Concat(Enumerable.Repeat("""{ "not": """, depth)) + """{ "field": "a", "operator": "exists" }""" + new string('}', depth);
        using var document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 1000 });

        var ex = Assert.Throws<TemplateSyntaxException>(() => Condition.Parse(document.RootElement));

        Assert.Contains("deeper", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CollectReferences_ObjectForm_FindsFieldsAndValueReferences()
    {
        var json = TestJson.Parse("""
            { "or": [
                { "field": "step1.data.n", "operator": ">", "value": "{{input.min}}" },
                { "not": { "field": "step2.data.ok", "operator": "exists" } },
                "{{step3.data.x}} == 'a' && step4.data.y"
            ] }
            """);
        var sink = new List<ReferencePath>();

        Condition.Parse(json).CollectReferences(sink);

        Assert.Equal(["step1.data.n", "input.min", "step2.data.ok", "step3.data.x", "step4.data.y"], sink.Select(r => r.ToString()));
    }

    [Theory]
    [InlineData("""{ "field": "step1.data.count", "operator": "greater_than", "value": 0 }""")]
    [InlineData("""{ "field": "{{step1.data.tags}}", "operator": "contains", "value": "urgent" }""")]
    [InlineData("""{ "field": "a", "operator": "is_not_empty" }""")]
    [InlineData("""{ "field": "a", "operator": "in", "value": ["x", "{{input.y}}"] }""")]
    [InlineData("""{ "and": [ { "field": "a", "operator": "exists" }, { "or": [ { "not": { "field": "b", "operator": "==", "value": null } }, "c > 1" ] } ] }""")]
    [InlineData("""{ "and": [] }""")]
    [InlineData("true")]
    [InlineData("false")]
    public void WriteTo_ObjectForm_ParsesBackToEqualCondition(string json)
    {
        var condition = Condition.Parse(TestJson.Parse(json));

        var written = TestJson.Write(condition.WriteTo);

        Assert.Equal(condition, Condition.Parse(TestJson.Parse(written)));
    }

    [Fact]
    public void WriteTo_WordOperator_WritesCanonicalSpelling()
    {
        var condition = Condition.Parse(TestJson.Parse("""{ "field": "step1.data.count", "operator": "greater_than_or_equal", "value": 2 }"""));

        Assert.Equal("""{"field":"step1.data.count","operator":"\u003E=","value":2}""", TestJson.Write(condition.WriteTo));
    }

    [Theory]
    [InlineData("complex_and", typeof(AllCondition))]
    [InlineData("complex_or", typeof(AnyCondition))]
    public void Parse_ConditionTypeComplex_BuildsTheMatchingCombination(string conditionType, Type expected)
    {
        var condition = Condition.Parse(TestJson.Parse($$"""{ "conditionType": "{{conditionType}}", "conditions": [ { "conditionType": "simple", "field": "item.a", "operator": "eq", "value": 1 } ] }"""));

        Assert.IsType(expected, condition);
    }

    [Fact]
    public void Parse_ConditionTypeComplexNot_NegatesItsCondition() =>
        Assert.IsType<NotCondition>(Condition.Parse(TestJson.Parse("""{ "conditionType": "complex_not", "condition": { "field": "item.a", "operator": "exists" } }""")));

    [Fact]
    public void Parse_UnknownConditionType_ThrowsListingTheKnownOnes()
    {
        var ex = Assert.Throws<TemplateSyntaxException>(() => Condition.Parse(TestJson.Parse("""{ "conditionType": "complex_xor", "conditions": [] }""")));

        Assert.Contains("complex_and", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_KindComparison_ReadsRefAndLiteralOperands()
    {
        var condition = Assert.IsType<ComparisonCondition>(Condition.Parse(TestJson.Parse("""{ "kind": "comparison", "operator": "gte", "left": { "kind": "ref", "ref": "item", "field": "a" }, "right": { "kind": "literal", "value": 3 } }""")));

        Assert.Equal(ConditionOperator.GreaterThanOrEqual, condition.Operator);
        Assert.Equal("item.a", Assert.IsType<ReferenceValue>(condition.Left).Path.ToString());
        Assert.IsType<LiteralValue>(condition.Right);
    }

    [Theory]
    [InlineData("eq", nameof(ConditionOperator.Equal))]
    [InlineData("ne", nameof(ConditionOperator.NotEqual))]
    [InlineData("gt", nameof(ConditionOperator.GreaterThan))]
    [InlineData("gte", nameof(ConditionOperator.GreaterThanOrEqual))]
    [InlineData("lt", nameof(ConditionOperator.LessThan))]
    [InlineData("lte", nameof(ConditionOperator.LessThanOrEqual))]
    [InlineData("not_empty", nameof(ConditionOperator.IsNotEmpty))]
    [InlineData("matches_regex", nameof(ConditionOperator.Matches))]
    [InlineData("contains_any", nameof(ConditionOperator.ContainsAny))]
    [InlineData("within_last_days", nameof(ConditionOperator.WithinLastDays))]
    [InlineData("before", nameof(ConditionOperator.Before))]
    [InlineData("after", nameof(ConditionOperator.After))]
    public void Parse_CompilerOperatorSpelling_MapsToItsOperator(string spelling, string expectedName) =>
        Assert.Equal(Enum.Parse<ConditionOperator>(expectedName), Assert.IsType<ComparisonCondition>(Condition.Parse(TestJson.Parse($$"""{ "field": "item.a", "operator": "{{spelling}}", "value": 1 }"""))).Operator);

    [Fact]
    public void Parse_UnknownOperator_ThrowsListingCompilerSpellingsToo()
    {
        var ex = Assert.Throws<TemplateSyntaxException>(() => Condition.Parse(TestJson.Parse("""{ "field": "item.a", "operator": "is_null" }""")));

        Assert.Contains("contains_any", ex.Message, StringComparison.Ordinal);
        Assert.Contains("within_last_days", ex.Message, StringComparison.Ordinal);
    }
}
