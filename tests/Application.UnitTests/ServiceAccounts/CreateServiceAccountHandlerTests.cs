using AuthPlatform.Application.Common.Results;
using AuthPlatform.Application.Common.Security;
using AuthPlatform.Application.ServiceAccounts.Common;
using AuthPlatform.Application.ServiceAccounts.CreateServiceAccount;
using AuthPlatform.Application.UnitTests.TestSupport;
using AuthPlatform.Domain.ServiceAccounts;
using NSubstitute;

namespace AuthPlatform.Application.UnitTests.ServiceAccounts;

public sealed class CreateServiceAccountHandlerTests
{
    private readonly Ports _ports = new();
    private readonly IServiceAccountRepository _accounts = Substitute.For<IServiceAccountRepository>();

    private CreateServiceAccountHandler Handler() => new(_accounts, _ports.Callers, _ports.StepUp, _ports.Secrets, _ports.Mapper, _ports.Clock);

    private static CallerIdentity Caller(Guid userId, params string[] scopes) =>
        new(userId.ToString(), userId, AuthMethods.Jwt, scopes, AuthenticationMethods: ["pwd"]);

    [Fact]
    public async Task Handle_ScopesTheCallerHolds_CreatesTheAccountAndShowsTheSecretOnce()
    {
        var user = _ports.NewUser();
        ServiceAccount? added = null;
        _accounts.When(a => a.Add(Arg.Any<ServiceAccount>())).Do(call => added = call.Arg<ServiceAccount>());

        var result = await Handler().Handle(
            new CreateServiceAccountCommand(Caller(user.Id, "profile", "models.read"), "billing", null, ["models.read"], null), CancellationToken.None);

        Assert.True(result.IsSuccess);
        Assert.NotNull(added);
        Assert.StartsWith("sa_", result.Value.ClientId, StringComparison.Ordinal);
        Assert.Equal("secret-1", result.Value.ClientSecret);
        Assert.Equal(Ports.HashOf("secret-1"), Assert.Single(added.Secrets).SecretHash);
        Assert.Equal(user.Id, added.OwnerId);
        Assert.Equal(["models.read"], result.Value.Scopes);
    }

    [Fact]
    public async Task Handle_ScopeTheCallerLacks_IsInsufficientScopeAndAddsNothing()
    {
        var user = _ports.NewUser();

        var result = await Handler().Handle(
            new CreateServiceAccountCommand(Caller(user.Id, "profile"), "escalate", null, ["profile", "admin"], null), CancellationToken.None);

        Assert.Equal(ErrorCodes.InsufficientScope, result.Error!.Code);
        _accounts.DidNotReceiveWithAnyArgs().Add(default!);
    }

    [Fact]
    public async Task Handle_CallerWithoutAUser_IsForbidden()
    {
        var caller = new CallerIdentity("sa_x", null, AuthMethods.OAuth, ["profile"], "sa_x");

        var result = await Handler().Handle(new CreateServiceAccountCommand(caller, "nested", null, ["profile"], null), CancellationToken.None);

        Assert.Equal(ErrorCodes.Forbidden, result.Error!.Code);
    }
}
