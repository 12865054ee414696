using Orchestrator.Core.Execution;
using Orchestrator.Core.Ports;
using Orchestrator.Core.Tests.TestSupport;

namespace Orchestrator.Core.Tests.Execution.Runtime;

public class CachingTests
{
    private const string Cached = """
        { "input_schema": [ { "name": "city", "type": "string", "required": true } ],
          "workflow_steps": [
            { "id": "weather", "type": "action", "plugin": "weather", "action": "get", "params": { "city": "{{input.city}}" },
              "cache": { "enabled": true, "ttl": 60 } } ] }
        """;

    private static ScriptedPluginExecutor CountingWeather()
    {
        var count = 0;
        return new ScriptedPluginExecutor().On("weather.get", r => PluginResult.Ok(Json.Parse(
            $$"""{ "city": "{{r.Parameters.GetProperty("city").GetString()}}", "call": {{Interlocked.Increment(ref count)}} }""")));
    }

    [Fact]
    public async Task ExecuteAsync_SameResolvedKeyWithinTtl_ReusesTheResultAcrossRuns()
    {
        var plugins = CountingWeather();
        var sut = RuntimeTestKit.CreateSut(plugins);
        var workflow = Workflows.Load(Cached);

        var first = await sut.ExecuteAsync(workflow, RuntimeTestKit.Request("""{ "city": "Oslo" }"""));
        var second = await sut.ExecuteAsync(workflow, RuntimeTestKit.Request("""{ "city": "Oslo" }"""));

        Assert.Single(plugins.Calls);
        Assert.False(first.Steps["weather"].CacheHit);
        Assert.True(second.Steps["weather"].CacheHit);
        Assert.Equal(ExecutionStatus.Succeeded, second.Status);
        Assert.Equal(1, second.Steps["weather"].Data.GetProperty("call").GetInt32());
    }

    [Fact]
    public async Task ExecuteAsync_DifferentResolvedParameters_DoNotShareAResult()
    {
        var plugins = CountingWeather();
        var sut = RuntimeTestKit.CreateSut(plugins);
        var workflow = Workflows.Load(Cached);

        await sut.ExecuteAsync(workflow, RuntimeTestKit.Request("""{ "city": "Oslo" }"""));
        var other = await sut.ExecuteAsync(workflow, RuntimeTestKit.Request("""{ "city": "Lima" }"""));

        Assert.Equal(2, plugins.Calls.Count);
        Assert.False(other.Steps["weather"].CacheHit);
        Assert.Equal("Lima", other.Steps["weather"].Data.GetProperty("city").GetString());
    }

    [Fact]
    public async Task ExecuteAsync_AfterTtl_CallsThePluginAgain()
    {
        var plugins = CountingWeather();
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        var sut = RuntimeTestKit.CreateSut(plugins, time);
        var workflow = Workflows.Load(Cached);

        await sut.ExecuteAsync(workflow, RuntimeTestKit.Request("""{ "city": "Oslo" }"""));
        time.Advance(TimeSpan.FromSeconds(59));
        var withinTtl = await sut.ExecuteAsync(workflow, RuntimeTestKit.Request("""{ "city": "Oslo" }"""));
        time.Advance(TimeSpan.FromSeconds(1));
        var expired = await sut.ExecuteAsync(workflow, RuntimeTestKit.Request("""{ "city": "Oslo" }"""));

        Assert.True(withinTtl.Steps["weather"].CacheHit);
        Assert.False(expired.Steps["weather"].CacheHit);
        Assert.Equal(2, plugins.Calls.Count);
        Assert.Equal(2, expired.Steps["weather"].Data.GetProperty("call").GetInt32());
    }

    [Fact]
    public async Task ExecuteAsync_ExplicitCacheKey_SharesTheResultBetweenStepsWithTheSameRenderedKey()
    {
        var plugins = CountingWeather();
        var sut = RuntimeTestKit.CreateSut(plugins);

        var result = await sut.ExecuteAsync(Workflows.Load("""
            [ { "id": "first", "type": "action", "plugin": "weather", "action": "get", "params": { "city": "Oslo" }, "cache": { "enabled": true, "key": "weather:Oslo" } },
              { "id": "second", "type": "action", "plugin": "weather", "action": "get", "params": { "city": "Oslo" }, "cache": { "enabled": true, "key": "weather:Oslo" }, "dependencies": ["first"] } ]
            """), RuntimeTestKit.Request());

        Assert.Single(plugins.Calls);
        Assert.True(result.Steps["second"].CacheHit);
    }

    [Fact]
    public async Task ExecuteAsync_FailedStep_IsNotCached()
    {
        var plugins = new ScriptedPluginExecutor().OnSequence("weather.get", PluginResult.Fail("down", "DOWN"), RuntimeTestKit.Ok("""{ "ok": true }"""));
        var sut = RuntimeTestKit.CreateSut(plugins);
        var workflow = Workflows.Load(Cached);

        var first = await sut.ExecuteAsync(workflow, RuntimeTestKit.Request("""{ "city": "Oslo" }"""));
        var second = await sut.ExecuteAsync(workflow, RuntimeTestKit.Request("""{ "city": "Oslo" }"""));

        Assert.Equal(ExecutionStatus.Failed, first.Status);
        Assert.Equal(ExecutionStatus.Succeeded, second.Status);
        Assert.False(second.Steps["weather"].CacheHit);
        Assert.Equal(2, plugins.Calls.Count);
    }

    [Fact]
    public async Task ExecuteAsync_SameStepIdAndParametersInAnotherWorkflow_DoesNotReuseAnotherPluginsResult()
    {
        var plugins = new ScriptedPluginExecutor().On("crm.fetch", """{ "source": "crm" }""").On("billing.fetch", """{ "source": "billing" }""");
        var sut = RuntimeTestKit.CreateSut(plugins);

        await sut.ExecuteAsync(Workflows.Load("""
            [ { "id": "fetch", "type": "action", "plugin": "crm", "action": "fetch", "cache": { "enabled": true } } ]
            """), RuntimeTestKit.Request());
        var billing = await sut.ExecuteAsync(Workflows.Load("""
            [ { "id": "fetch", "type": "action", "plugin": "billing", "action": "fetch", "cache": { "enabled": true } } ]
            """), RuntimeTestKit.Request());

        Assert.False(billing.Steps["fetch"].CacheHit);
        Assert.Equal("billing", billing.Steps["fetch"].Data.GetProperty("source").GetString());
    }

    [Fact]
    public async Task ExecuteAsync_SameStepForAnotherUser_DoesNotReuseTheFirstUsersResult()
    {
        var plugins = new ScriptedPluginExecutor().On("mail.inbox", r => PluginResult.Ok(Json.Parse($$"""{ "owner": "{{r.UserId}}" }""")));
        var sut = RuntimeTestKit.CreateSut(plugins);
        var workflow = Workflows.Load("""
            [ { "id": "inbox", "type": "action", "plugin": "mail", "action": "inbox", "cache": { "enabled": true } } ]
            """);

        await sut.ExecuteAsync(workflow, RuntimeTestKit.Request() with { UserId = "alice" });
        var bob = await sut.ExecuteAsync(workflow, RuntimeTestKit.Request() with { UserId = "bob" });

        Assert.False(bob.Steps["inbox"].CacheHit);
        Assert.Equal("bob", bob.Steps["inbox"].Data.GetProperty("owner").GetString());
    }
}
