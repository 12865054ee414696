using System.Text.Json;
using Orchestrator.Core.Expressions;

namespace Orchestrator.Core.Tests.Expressions;

public sealed class TemplateValueTests
{
    [Fact]
    public void Parse_PlainText_ReturnsStringLiteral()
    {
        var value = TemplateValue.Parse("Summarise the emails");

        var literal = Assert.IsType<LiteralValue>(value);
        Assert.Equal(JsonValueKind.String, literal.Value.ValueKind);
        Assert.Equal("Summarise the emails", literal.Value.GetString());
        Assert.False(value.HasReferences);
    }

    [Fact]
    public void Parse_ExactlyOneReference_ReturnsReferenceValue()
    {
        var value = TemplateValue.Parse("{{step1.data.items}}");

        var reference = Assert.IsType<ReferenceValue>(value);
        Assert.Equal("step1", reference.Path.Root);
        Assert.Equal([PathSegment.Property("data"), PathSegment.Property("items")], reference.Path.Segments);
        Assert.True(value.HasReferences);
    }

    [Fact]
    public void Parse_JsonStringThatIsOneReference_KeepsReferenceSoValueKeepsItsJsonType()
    {
        var value = TemplateValue.Parse(TestJson.Parse("""{ "count": "{{step1.data.count}}" }"""));

        var obj = Assert.IsType<ObjectTemplate>(value);
        var property = Assert.Single(obj.Properties);
        Assert.Equal("count", property.Name);
        Assert.Equal(new ReferenceValue(ReferencePath.Parse("step1.data.count")), property.Value);
    }

    [Fact]
    public void Parse_TextWithReferences_ReturnsTextTemplateParts()
    {
        var value = TemplateValue.Parse("Urgent: {{step2.data.decision}} for {{input.channel}}!");

        var template = Assert.IsType<TextTemplate>(value);
        Assert.Equal(5, template.Parts.Count);
        Assert.Equal(TemplatePart.Literal("Urgent: "), template.Parts[0]);
        Assert.Equal(ReferencePath.Parse("step2.data.decision"), template.Parts[1].Reference);
        Assert.Equal(TemplatePart.Literal(" for "), template.Parts[2]);
        Assert.Equal(ReferencePath.Parse("input.channel"), template.Parts[3].Reference);
        Assert.Equal(TemplatePart.Literal("!"), template.Parts[4]);
    }

    [Fact]
    public void Parse_TwoAdjacentReferences_ReturnsTextTemplateWithoutEmptyText()
    {
        var template = Assert.IsType<TextTemplate>(TemplateValue.Parse("{{a}}{{b}}"));

        Assert.Equal([TemplatePart.Of(ReferencePath.Parse("a")), TemplatePart.Of(ReferencePath.Parse("b"))], template.Parts);
    }

    [Fact]
    public void Parse_ReferenceWithSurroundingText_IsTextNotReferenceValue()
    {
        Assert.IsType<TextTemplate>(TemplateValue.Parse(" {{a}}"));
        Assert.IsType<TextTemplate>(TemplateValue.Parse("{{a}} "));
    }

    [Fact]
    public void Parse_WhitespaceInsideBraces_IsIgnored()
    {
        var value = TemplateValue.Parse("{{  step1.data.x \t}}");

        Assert.Equal(new ReferenceValue(ReferencePath.Parse("step1.data.x")), value);
    }

    [Fact]
    public void Parse_LoneClosingBraces_IsText()
    {
        const string prompt = """Reply as JSON like {"a": {"b": 1}} and nothing else""";

        var literal = Assert.IsType<LiteralValue>(TemplateValue.Parse(prompt));

        Assert.Equal(prompt, literal.Value.GetString());
    }

    [Fact]
    public void Parse_ClosingBracesAfterReference_KeepsExtraBraceAsText()
    {
        var template = Assert.IsType<TextTemplate>(TemplateValue.Parse("{{a}}}"));

        Assert.Equal([TemplatePart.Of(ReferencePath.Parse("a")), TemplatePart.Literal("}")], template.Parts);
    }

    [Fact]
    public void Parse_NestedObjectWithReference_BuildsTemplatesOnlyWhereReferencesAre()
    {
        var json = TestJson.Parse("""
            {
              "query": "{{input.query}}",
              "limit": 20,
              "options": { "labels": ["inbox", "work"], "flag": true },
              "to": ["boss@example.org", "{{input.recipient}}"]
            }
            """);

        var obj = Assert.IsType<ObjectTemplate>(TemplateValue.Parse(json));

        Assert.Equal(["query", "limit", "options", "to"], obj.Properties.Select(p => p.Name));
        Assert.IsType<ReferenceValue>(obj.Properties[0].Value);
        var limit = Assert.IsType<LiteralValue>(obj.Properties[1].Value);
        Assert.Equal(20, limit.Value.GetInt32());
        var options = Assert.IsType<LiteralValue>(obj.Properties[2].Value);
        Assert.True(JsonElement.DeepEquals(TestJson.Parse("""{ "labels": ["inbox", "work"], "flag": true }"""), options.Value));
        var to = Assert.IsType<ArrayTemplate>(obj.Properties[3].Value);
        Assert.Equal(LiteralValue.FromString("boss@example.org"), to.Items[0]);
        Assert.Equal(new ReferenceValue(ReferencePath.Parse("input.recipient")), to.Items[1]);
    }

    [Fact]
    public void Parse_JsonWithoutReferences_ReturnsOneLiteral()
    {
        var json = TestJson.Parse("""{ "a": [1, 2, { "b": "x }} y" }], "c": null }""");

        var literal = Assert.IsType<LiteralValue>(TemplateValue.Parse(json));

        Assert.True(JsonElement.DeepEquals(json, literal.Value));
    }

    [Theory]
    [InlineData("42", JsonValueKind.Number)]
    [InlineData("true", JsonValueKind.True)]
    [InlineData("null", JsonValueKind.Null)]
    [InlineData("[]", JsonValueKind.Array)]
    public void Parse_NonStringJson_ReturnsLiteralOfSameKind(string json, JsonValueKind kind)
    {
        var literal = Assert.IsType<LiteralValue>(TemplateValue.Parse(TestJson.Parse(json)));

        Assert.Equal(kind, literal.Value.ValueKind);
    }

    [Fact]
    public void CollectReferences_NestedTemplate_FindsEveryReferenceInDocumentOrder()
    {
        var value = TemplateValue.Parse(TestJson.Parse("""
            { "a": "{{step1.data.x}}", "b": ["{{step2.data}}", "n: {{input.n}} / {{var.m}}"], "c": 1 }
            """));
        var sink = new List<ReferencePath>();

        value.CollectReferences(sink);

        Assert.Equal(["step1.data.x", "step2.data", "input.n", "var.m"], sink.Select(r => r.ToString()));
    }

    [Fact]
    public void WriteTo_ParsedTemplate_WritesEquivalentJson()
    {
        var json = TestJson.Parse("""{"q":"{{ input.query }}","n":2,"t":"Hi {{input.name}}!","l":["x","{{a[0]}}"]}""");

        var written = TestJson.Write(TemplateValue.Parse(json).WriteTo);

        Assert.Equal("""{"q":"{{input.query}}","n":2,"t":"Hi {{input.name}}!","l":["x","{{a[0]}}"]}""", written);
    }

    [Fact]
    public void Equals_SameJsonParsedTwice_IsEqual()
    {
        const string json = """{ "q": "{{input.query}}", "n": [1, 2, 3], "t": "Hi {{input.name}}" }""";

        Assert.Equal(TemplateValue.Parse(TestJson.Parse(json)), TemplateValue.Parse(TestJson.Parse(json)));
    }

    [Fact]
    public void Equals_LiteralsWithDifferentValues_AreNotEqual()
    {
        Assert.NotEqual(LiteralValue.FromJson("1"), LiteralValue.FromJson("2"));
        Assert.NotEqual(LiteralValue.FromJson("""{"a":1}"""), LiteralValue.FromJson("""{"a":2}"""));
        Assert.Equal(LiteralValue.FromJson("""{"a":1,"b":[true]}"""), LiteralValue.FromJson("""{ "a": 1, "b": [ true ] }"""));
    }

    [Fact]
    public void Parse_UnterminatedReference_ThrowsWithPositionOfOpeningBraces()
    {
        var ex = Assert.Throws<TemplateSyntaxException>(() => TemplateValue.Parse("Hello {{input.name"));

        Assert.Equal(6, ex.Position);
        Assert.Contains("Unterminated", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{{}}")]
    [InlineData("{{ }}")]
    [InlineData("text {{   }} text")]
    public void Parse_EmptyReference_Throws(string text)
    {
        var ex = Assert.Throws<TemplateSyntaxException>(() => TemplateValue.Parse(text));

        Assert.Contains("Empty reference", ex.Message, StringComparison.Ordinal);
        Assert.True(ex.Position >= 0);
    }

    [Theory]
    [InlineData("{{a..b}}", 4)]
    [InlineData("{{a[x]}}", 4)]
    [InlineData("{{a.}}", 4)]
    [InlineData("{{a b}}", 3)]
    [InlineData("{{a[0}}", 5)]
    [InlineData("{{.a}}", 2)]
    [InlineData("{{a['b}}", 4)]
    public void Parse_MalformedPath_ThrowsWithPosition(string text, int position)
    {
        var ex = Assert.Throws<TemplateSyntaxException>(() => TemplateValue.Parse(text));

        Assert.Equal(position, ex.Position);
    }

    [Fact]
    public void Parse_ReferenceLongerThanLimit_Throws()
    {
        var path = "a" + string.Concat(Enumerable.Repeat(".b", TemplateParser.MaxReferenceLength / 2));

        var ex = Assert.Throws<TemplateSyntaxException>(() => TemplateValue.Parse("{{" + path + "}}"));

        Assert.Contains(TemplateParser.MaxReferenceLength.ToString(System.Globalization.CultureInfo.InvariantCulture), ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ReferenceAtLimit_IsAccepted()
    {
        var path = new string('a', TemplateParser.MaxReferenceLength);

        var value = Assert.IsType<ReferenceValue>(TemplateValue.Parse("{{" + path + "}}"));

        Assert.Equal(path, value.Path.Root);
    }

    [Fact]
    public void Parse_MalformedReferenceInsideJsonObject_Throws()
    {
        Assert.Throws<TemplateSyntaxException>(() => TemplateValue.Parse(TestJson.Parse("""{ "a": { "b": ["{{x..y}}"] } }""")));
    }

    [Fact]
    public void Parse_ManyUnterminatedOpenings_ThrowsQuickly()
    {
        // Hostile input: a long run of '{{' without a close must fail on the first, not scan forever.
        var text = string.Concat(Enumerable.Repeat("{{", 50_000));

        var ex = Assert.Throws<TemplateSyntaxException>(() => TemplateValue.Parse(text));

        Assert.Equal(0, ex.Position);
    }

    [Fact]
    public void Parse_EscapedBraces_AreLiteralText()
    {
        var value = TemplateValue.Parse("""Use \{{name}} in Handlebars""");

        var text = Assert.IsType<TextTemplate>(value);
        Assert.Equal([TemplatePart.Literal("Use {{name}} in Handlebars")], text.Parts);
        Assert.False(value.HasReferences);
    }

    [Fact]
    public void Parse_EscapedBracesBesideAReference_KeepBoth()
    {
        var value = TemplateValue.Parse("""\{{literal}} and {{step1.data}}""");

        var text = Assert.IsType<TextTemplate>(value);
        Assert.Equal([TemplatePart.Literal("{{literal}} and "), TemplatePart.Of(ReferencePath.Parse("step1.data"))], text.Parts);
    }

    [Fact]
    public void Parse_DoubledBackslashBeforeBraces_IsOneBackslashThenAReference()
    {
        var value = TemplateValue.Parse("""C:\\{{input.dir}}""");

        var text = Assert.IsType<TextTemplate>(value);
        Assert.Equal([TemplatePart.Literal("""C:\"""), TemplatePart.Of(ReferencePath.Parse("input.dir"))], text.Parts);
    }

    [Theory]
    [InlineData("""\{{x}}""")]
    [InlineData("""a \{{{{step1.data}} b""")]
    [InlineData("""\\{{step1.data}}""")]
    [InlineData("""\\\{{""")]
    [InlineData("""x\{{\{{ }}""")]
    [InlineData("""back\slash \{{ and {{input.a}}\\""")]
    public void WriteTo_TemplateWithEscapes_ReadsBackAsItself(string text)
    {
        var value = TemplateValue.Parse(text);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            value.WriteTo(writer);
        }

        var written = JsonDocument.Parse(buffer.ToArray()).RootElement.GetString()!;

        Assert.Equal(value, TemplateValue.Parse(written));
    }
}
