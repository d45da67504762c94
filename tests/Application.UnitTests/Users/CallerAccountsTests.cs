using AuthPlatform.Application.Common.Results;
using AuthPlatform.Application.Common.Security;
using AuthPlatform.Application.Users;
using AuthPlatform.Domain.Users;
using NSubstitute;

namespace AuthPlatform.Application.UnitTests.Users;

public sealed class CallerAccountsTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly IUserRepository _users = Substitute.For<IUserRepository>();
    private readonly User _user = User.Register(Guid.NewGuid(), EmailAddress.Create("alice@example.com"), "Alice", "hash", "stamp", Now);

    private CallerAccounts Callers() => new(_users);

    private static CallerIdentity UserCaller(Guid userId) => new(userId.ToString(), userId, AuthMethods.Jwt, ["profile"]);

    [Fact]
    public async Task LoadAsync_CallerWithoutUser_AnswersNotAUserWithoutReading()
    {
        var client = new CallerIdentity("client-1", null, AuthMethods.OAuth, ["profile"], ClientId: "client-1");

        var result = await Callers().LoadAsync(client, CancellationToken.None);

        Assert.Same(CallerAccounts.NotAUser, result.Error);
        Assert.Equal(ErrorCodes.Forbidden, result.Error!.Code);
        Assert.False(result.KeepsChanges);
        Assert.Empty(_users.ReceivedCalls());
    }

    [Fact]
    public async Task LoadAsync_UnknownUser_AnswersAccountNotFound()
    {
        var result = await Callers().LoadAsync(UserCaller(Guid.NewGuid()), CancellationToken.None);

        Assert.Same(CallerAccounts.AccountNotFound, result.Error);
        Assert.Equal(ErrorCodes.NotFound, result.Error!.Code);
    }

    [Fact]
    public async Task LoadAsync_KnownCaller_ReturnsTheUserWithoutItsRecoveryCodes()
    {
        _users.FindByIdAsync(_user.Id, Arg.Any<CancellationToken>()).Returns(_user);

        var result = await Callers().LoadAsync(UserCaller(_user.Id), CancellationToken.None);

        Assert.Same(_user, result.Value);
        await _users.DidNotReceiveWithAnyArgs().FindByIdWithRecoveryCodesAsync(default, default);
    }

    [Fact]
    public async Task LoadAsync_WithRecoveryCodes_LoadsThemToo()
    {
        _users.FindByIdWithRecoveryCodesAsync(_user.Id, Arg.Any<CancellationToken>()).Returns(_user);

        var result = await Callers().LoadAsync(UserCaller(_user.Id), CancellationToken.None, withRecoveryCodes: true);

        Assert.Same(_user, result.Value);
        await _users.DidNotReceiveWithAnyArgs().FindByIdAsync(default, default);
    }

    [Fact]
    public async Task LoadAsync_ById_ReturnsTheUserOrAccountNotFound()
    {
        _users.FindByIdAsync(_user.Id, Arg.Any<CancellationToken>()).Returns(_user);

        var found = await Callers().LoadAsync(_user.Id, CancellationToken.None);
        var missing = await Callers().LoadAsync(Guid.NewGuid(), CancellationToken.None);

        Assert.Same(_user, found.Value);
        Assert.Same(CallerAccounts.AccountNotFound, missing.Error);
    }
}
