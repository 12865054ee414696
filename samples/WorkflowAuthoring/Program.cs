using Orchestrator.Core.Ports;
using Orchestrator.Extensions.AI.Authoring;
using WorkflowAuthoring;

// The host's plugins: described to the model, and the catalog the generated workflow must plan against.
PluginDescriptor[] plugins =
[
    new()
    {
        Name = "google-mail",
        Actions = [new() { Name = "search_emails", Parameters = [new() { Name = "query", Type = "string", Required = true }] }],
    },
    new()
    {
        Name = "slack",
        Actions = [new() { Name = "send_message", Parameters = [new() { Name = "channel", Required = true }, new() { Name = "text", Required = true }] }],
    },
];

using var model = new OfflineModel();
var generator = new WorkflowGenerator(model, new WorkflowGeneratorOptions { MaxRepairRounds = 2 });
var result = await generator.GenerateAsync(new WorkflowGenerationRequest
{
    Request = "Every morning, post a five-bullet summary of my unread email to a Slack channel I choose.",
    Plugins = plugins,
});

Console.WriteLine($"succeeded: {result.Succeeded} after {result.Rounds} round(s), {result.TotalTokens} tokens ({result.InputTokens} in, {result.OutputTokens} out)");
foreach (var diagnostic in result.Diagnostics)
{
    Console.WriteLine("  " + diagnostic);
}

if (result.Plan is { } plan)
{
    Console.WriteLine("levels: " + string.Join(" -> ", plan.Levels.Select(level => string.Join(", ", level))));
}

return result.Succeeded ? 0 : 1;
