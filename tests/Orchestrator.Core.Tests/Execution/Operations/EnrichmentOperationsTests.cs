using Orchestrator.Core.Execution.Operations;
using Orchestrator.Core.Model;

namespace Orchestrator.Core.Tests.Execution.Operations;

public class EnrichmentOperationsTests
{
    private static readonly TestScope Scope = new TestScope()
        .WithStep("a", """{"id": 1, "info": {"x": 1, "tags": ["p"]}, "keep": true}""")
        .WithStep("b", """{"info": {"y": 2, "tags": ["q"]}, "keep": false}""")
        .WithStep("s", "\"plain\"")
        .WithStep("users", """[{"id": 1, "name": "ann"}, {"id": 2, "name": "bob"}, "stray"]""")
        .WithStep("ages", """[{"id": "1", "age": 30}, {"id": 3, "age": 9}, {"age": 1}]""");

    private static Core.Execution.Values.ValueResult Run(string strategy, string extra = "") =>
        EnrichmentOperations.Apply(
            TestScope.Step<EnrichmentStep>("""{"id": "e", "type": "enrichment", "strategy": "STRATEGY", "sources": [SOURCES] EXTRA}""".Replace("STRATEGY", strategy, StringComparison.Ordinal).Replace("EXTRA", extra, StringComparison.Ordinal)
                .Replace("SOURCES", strategy == "join" ? """{"key": "u", "from": "users.data"}, {"key": "g", "from": "ages.data"}""" : """{"key": "a", "from": "a.data"}, {"key": "b", "from": "b.data"}, {"key": "s", "from": "s.data"}""", StringComparison.Ordinal)),
            Scope);

    [Fact]
    public void Apply_Merge_ShallowLaterWinsNonObjectUnderKey() =>
        Assert.Equal("""{"id":1,"info":{"y":2,"tags":["q"]},"keep":false,"s":"plain"}""", TestScope.Text(Run("merge").Value));

    [Fact]
    public void Apply_DeepMerge_MergesNestedObjectsReplacingLists() =>
        Assert.Equal("""{"id":1,"info":{"x":1,"tags":["q"],"y":2},"keep":false,"s":"plain"}""", TestScope.Text(Run("deep_merge").Value));

    [Fact]
    public void Apply_DeepMergeWithMergeArrays_ConcatenatesLists() =>
        Assert.Equal("""{"id":1,"info":{"x":1,"tags":["p","q"],"y":2},"keep":false,"s":"plain"}""", TestScope.Text(Run("deep_merge", ", \"mergeArrays\": true").Value));

    [Fact]
    public void Apply_Join_LeftJoinsOnKeyWithLooseNumbers() =>
        Assert.Equal("""[{"id":"1","name":"ann","age":30},{"id":2,"name":"bob"},"stray"]""", TestScope.Text(Run("join", ", \"joinOn\": \"id\"").Value));

    [Fact]
    public void Apply_JoinWithoutJoinOn_Fails() =>
        Assert.Equal("ENRICHMENT_JOIN_ON_MISSING", Run("join").ErrorCode);

    [Fact]
    public void Apply_JoinOverNonList_FailsNamingSource()
    {
        var step = TestScope.Step<EnrichmentStep>("""{"id": "e", "type": "enrichment", "strategy": "join", "joinOn": "id", "sources": [{"key": "u", "from": "users.data"}, {"key": "x", "from": "a.data"}]}""");

        var result = EnrichmentOperations.Apply(step, Scope);

        Assert.Equal("ENRICHMENT_SOURCE_NOT_A_LIST", result.ErrorCode);
        Assert.Contains("'x'", result.Error, StringComparison.Ordinal);
    }
}
