using Orchestrator.Core.Execution;
using Orchestrator.Core.Hosting;
using Orchestrator.Core.Ports;
using Orchestrator.Core.Tests.TestSupport;

namespace Orchestrator.Core.Tests.Execution.Handlers;

public class SubWorkflowHandlerTests
{
    private readonly ScriptedPluginExecutor _plugins = new ScriptedPluginExecutor()
        .On("text.greet", r => PluginResult.Ok(Json.Parse($$"""{ "text": "Hello, {{r.Parameters.GetProperty("name").GetString()}}" }""")));

    private readonly ScriptedLlmClient _llm = new();
    private readonly InMemoryWorkflowRegistry _registry = new();

    private WorkflowOrchestrator CreateSut(int? maxDepth = null) =>
        new WorkflowOrchestratorBuilder(_plugins, _llm).UseOptions(maxDepth is null ? new WorkflowOrchestratorOptions() : new WorkflowOrchestratorOptions { MaxSubWorkflowDepth = maxDepth.Value }).AddWorkflowRegistry(_registry).Build();

    private const string Greeter = """
        {
          "input_schema": [ { "name": "name", "type": "string", "required": true } ],
          "workflow_steps": [ { "id": "hello", "type": "action", "plugin": "text", "action": "greet", "params": { "name": "{{input.name}}" } } ],
          "output_schema": [ { "name": "greeting", "type": "string", "source": "hello.data.text" } ]
        }
        """;

    private static string Caller(string sub, string after = "") =>
        $$$"""
        {
          "input_schema": [ { "name": "who", "type": "string" } ],
          "workflow_steps": [
            { "id": "sub", "type": "sub_workflow" {{{sub}}} }
            {{{after}}}
          ]
        }
        """;

    [Fact]
    public async Task SubWorkflow_InlineStepsWithInputsAndOutputMapping_Succeeds()
    {
        var result = await CreateSut().RunAsync(
            Caller(
                """
                , "inputs": { "name": "{{input.who}}" },
                  "workflowSteps": [ { "id": "hello", "type": "action", "plugin": "text", "action": "greet", "params": { "name": "{{input.name}}" } } ],
                  "outputMapping": { "greeting": "hello.data.text" }
                """,
                """, { "id": "after", "type": "action", "plugin": "text", "action": "greet", "params": { "name": "{{sub.data.greeting}}" } }"""),
            """{ "who": "Ann" }""");

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.Equal(StepStatus.Succeeded, result.Steps["sub"].Status);
        Assert.Equal("""{"greeting":"Hello, Ann"}""", result.Steps["sub"].Data.Text());
        Assert.Equal("Hello, Ann", _plugins.Calls.Last().Parameters.GetProperty("name").GetString());
        Assert.Equal("u1", _plugins.Calls.First().UserId);
    }

    [Fact]
    public async Task Regression_SubWorkflowThatSucceeds_ReallySucceeds()
    {
        _registry.Register("greeter", Workflows.Load(Greeter));
        var result = await CreateSut().RunAsync(Caller(""", "workflowId": "greeter", "inputs": { "name": "{{input.who}}" }"""), """{ "who": "Bo" }""");

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.Equal(StepStatus.Succeeded, result.Steps["sub"].Status);
        Assert.Null(result.Steps["sub"].ErrorCode);
        Assert.Equal("""{"greeting":"Hello, Bo"}""", result.Steps["sub"].Data.Text());
    }

    [Fact]
    public async Task SubWorkflow_RegistryWithOutputMapping_MapsTheChildSteps()
    {
        _registry.Register("greeter", Workflows.Load(Greeter));
        var result = await CreateSut().RunAsync(Caller(""", "workflowId": "greeter", "inputs": { "name": "{{input.who}}" }, "outputMapping": { "said": "hello.data.text" }"""), """{ "who": "Bo" }""");

        Assert.Equal("""{"said":"Hello, Bo"}""", result.Steps["sub"].Data.Text());
    }

    [Fact]
    public async Task SubWorkflow_ChildLlmTokens_CountedOnceInTheRun()
    {
        _llm.When("Shout", _ => new LlmResponse { Text = "HI", InputTokens = 3, OutputTokens = 2 });
        _registry.Register("shout", Workflows.Load("""[ { "id": "s", "type": "ai_processing", "prompt": "Shout" } ]"""));
        var result = await CreateSut().RunAsync(Caller(""", "workflowId": "shout" """));

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.Equal(new ExecutionUsage(3, 2, 1) { Credits = 1 }, result.Usage);
        Assert.Equal(5, result.Steps["sub"].TokensUsed);
    }

    [Fact]
    public async Task SubWorkflow_UnknownWorkflowId_FailsClearly()
    {
        var result = await CreateSut().RunAsync(Caller(""", "workflowId": "nope" """));

        Assert.Equal(ExecutionStatus.Failed, result.Status);
        Assert.Equal("SUB_WORKFLOW_NOT_FOUND", result.Steps["sub"].ErrorCode);
        Assert.Contains("'nope'", result.Steps["sub"].Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SubWorkflow_NoRegistry_FailsClearly()
    {
        var result = await new WorkflowOrchestratorBuilder(_plugins, _llm).Build().RunAsync(Caller(""", "workflowId": "greeter" """));

        Assert.Equal("SUB_WORKFLOW_NOT_FOUND", result.Steps["sub"].ErrorCode);
    }

    [Fact]
    public async Task SubWorkflow_MissingRequiredInput_FailsWithInvalidInput()
    {
        _registry.Register("greeter", Workflows.Load(Greeter));
        var result = await CreateSut().RunAsync(Caller(""", "workflowId": "greeter" """));

        Assert.Equal("INVALID_INPUT", result.Steps["sub"].ErrorCode);
    }

    [Fact]
    public async Task SubWorkflow_ChildFailsWithOnErrorContinue_StepSucceedsWithNull()
    {
        _plugins.On("text.greet", _ => PluginResult.Fail("no greeting", "NOPE"));
        _registry.Register("greeter", Workflows.Load(Greeter));
        var result = await CreateSut().RunAsync(Caller(""", "workflowId": "greeter", "inputs": { "name": "x" }, "onError": "continue" """));

        Assert.NotEqual(ExecutionStatus.Failed, result.Status);
        Assert.Equal(StepStatus.Succeeded, result.Steps["sub"].Status);
        Assert.Equal("null", result.Steps["sub"].Data.Text());
    }

    [Fact]
    public async Task SubWorkflow_ChildFailsWithOnErrorReturnError_DataHoldsTheError()
    {
        _plugins.On("text.greet", _ => PluginResult.Fail("no greeting", "NOPE"));
        _registry.Register("greeter", Workflows.Load(Greeter));
        var result = await CreateSut().RunAsync(Caller(""", "workflowId": "greeter", "inputs": { "name": "x" }, "onError": "return_error" """));

        Assert.Equal(StepStatus.Succeeded, result.Steps["sub"].Status);
        Assert.Equal("NOPE", result.Steps["sub"].Data.GetProperty("errorCode").GetString());
        Assert.Contains("no greeting", result.Steps["sub"].Data.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SubWorkflow_ChildFailsWithOnErrorThrow_StepAndRunFail()
    {
        _plugins.On("text.greet", _ => PluginResult.Fail("no greeting", "NOPE"));
        _registry.Register("greeter", Workflows.Load(Greeter));
        var result = await CreateSut().RunAsync(Caller(""", "workflowId": "greeter", "inputs": { "name": "x" }, "onError": "throw" """));

        Assert.Equal(ExecutionStatus.Failed, result.Status);
        Assert.Equal("NOPE", result.Steps["sub"].ErrorCode);
    }

    [Fact]
    public async Task SubWorkflow_RegistryWorkflowCallingItself_FailsTooDeep()
    {
        _registry.Register("self", Workflows.Load("""[ { "id": "again", "type": "sub_workflow", "workflowId": "self" } ]"""));
        var result = await CreateSut(maxDepth: 3).RunAsync(Caller(""", "workflowId": "self" """)).AsTask().WaitAsync(HandlerRuns.Guard);

        Assert.Equal(ExecutionStatus.Failed, result.Status);
        Assert.Equal("SUB_WORKFLOW_TOO_DEEP", result.Steps["sub"].ErrorCode);
        Assert.Contains("3", result.Steps["sub"].Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SubWorkflow_NestedWithinTheDepthLimit_Succeeds()
    {
        _registry.Register("greeter", Workflows.Load(Greeter));
        _registry.Register("middle", Workflows.Load("""
            { "input_schema": [ { "name": "n", "type": "string" } ],
              "workflow_steps": [ { "id": "inner", "type": "sub_workflow", "workflowId": "greeter", "inputs": { "name": "{{input.n}}" } } ] }
            """));
        var result = await CreateSut(maxDepth: 2).RunAsync(Caller(""", "workflowId": "middle", "inputs": { "n": "{{input.who}}" }"""), """{ "who": "Cy" }""");

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.Equal("Hello, Cy", result.Steps["sub"].Data.GetProperty("inner").GetProperty("greeting").GetString());
    }
}
