using AuthPlatform.Application.Common.Results;
using Mediator;

namespace AuthPlatform.Architecture.Tests.Fixtures.Misplaced;

/// <summary>A deliberately misplaced use case: its namespace does not name it (control for the layout check).</summary>
public sealed record PingCommand : ICommand<Result>;

public sealed class PingHandler : ICommandHandler<PingCommand, Result>
{
    public ValueTask<Result> Handle(PingCommand command, CancellationToken cancellationToken) => ValueTask.FromResult(Result.Success());
}
