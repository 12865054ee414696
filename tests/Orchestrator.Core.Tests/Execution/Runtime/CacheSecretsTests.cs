using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Orchestrator.Core.Execution;
using Orchestrator.Core.Ports;
using Orchestrator.Core.Tests.TestSupport;

namespace Orchestrator.Core.Tests.Execution.Runtime;

/// <summary>Issue 12, secrets at rest: the step cache key holds resolved parameters and prompts, so it is hashed.</summary>
public class CacheSecretsTests
{
    [Theory]
    [InlineData("""{ "token": "{{input.secret}}" }""", null)]
    [InlineData("""{ "city": "Oslo" }""", "key-{{input.secret}}")]
    public async Task ExecuteAsync_CachedStepResolvingASecret_HandsTheCacheOnlyAHashedKey(string parameters, string? explicitKey)
    {
        var cache = new RecordingCache();
        var plugins = new ScriptedPluginExecutor().On("api.get", "{}");
        var sut = new WorkflowOrchestratorBuilder(plugins, new ScriptedLlmClient()).UseTimeProvider(new FakeTimeProvider()).AddStepResultCache(cache).Build();
        var key = explicitKey is null ? string.Empty : $""", "key": "{explicitKey}" """;

        var result = await sut.ExecuteAsync(Workflows.Load($$"""
            [ { "id": "get", "type": "action", "plugin": "api", "action": "get", "params": {{parameters}}, "cache": { "enabled": true{{key}} } } ]
            """), RuntimeTestKit.Request("""{ "secret": "hunter2-s3cr3t" }"""));

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.NotEmpty(cache.Keys);
        Assert.All(cache.Keys, k =>
        {
            Assert.DoesNotContain("hunter2", k, StringComparison.Ordinal);
            Assert.Matches("^sha256:[0-9a-f]{64}$", k);
        });
    }

    [Fact]
    public async Task ExecuteAsync_HashedKeys_StillTellDifferentUsersApart()
    {
        var plugins = new ScriptedPluginExecutor().On("api.get", "{}");
        var sut = new WorkflowOrchestratorBuilder(plugins, new ScriptedLlmClient()).UseTimeProvider(new FakeTimeProvider()).Build();
        var workflow = Workflows.Load("""[ { "id": "get", "type": "action", "plugin": "api", "action": "get", "cache": { "enabled": true } } ]""");

        await sut.ExecuteAsync(workflow, new WorkflowExecutionRequest { UserId = "ann" });
        var other = await sut.ExecuteAsync(workflow, new WorkflowExecutionRequest { UserId = "bo" });
        var again = await sut.ExecuteAsync(workflow, new WorkflowExecutionRequest { UserId = "bo" });

        Assert.False(other.Steps["get"].CacheHit);
        Assert.True(again.Steps["get"].CacheHit);
    }

    private sealed class RecordingCache : IStepResultCache
    {
        private readonly ConcurrentDictionary<string, JsonElement> _entries = new(StringComparer.Ordinal);

        public ConcurrentQueue<string> Keys { get; } = new();

        public ValueTask<JsonElement?> GetAsync(string key, CancellationToken cancellationToken = default)
        {
            Keys.Enqueue(key);
            return ValueTask.FromResult<JsonElement?>(_entries.TryGetValue(key, out var data) ? data : null);
        }

        public ValueTask SetAsync(string key, JsonElement data, TimeSpan timeToLive, CancellationToken cancellationToken = default)
        {
            Keys.Enqueue(key);
            _entries[key] = data;
            return default;
        }
    }
}
