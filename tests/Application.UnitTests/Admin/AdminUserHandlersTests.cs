using AuthPlatform.Application.Admin.ChangeUserRole;
using AuthPlatform.Application.Admin.Common;
using AuthPlatform.Application.Admin.DisableUser;
using AuthPlatform.Application.Admin.EnableUser;
using AuthPlatform.Application.Admin.GetUser;
using AuthPlatform.Application.Admin.ListUsers;
using AuthPlatform.Application.Admin.UnlockUser;
using AuthPlatform.Application.Common.Results;
using AuthPlatform.Application.UnitTests.TestSupport;
using AuthPlatform.Domain.Audit;
using AuthPlatform.Domain.Sessions;
using AuthPlatform.Domain.Users;
using NSubstitute;

namespace AuthPlatform.Application.UnitTests.Admin;

public sealed class AdminUserHandlersTests
{
    private readonly Ports _ports = new();
    private readonly Guid _admin = Guid.NewGuid();
    private readonly IAccountLockReader _locks = Substitute.For<IAccountLockReader>();
    private readonly AdminUserViews _views;

    public AdminUserHandlersTests()
    {
        _locks.LockedUntilAsync(default!, default, default).ReturnsForAnyArgs(new Dictionary<string, DateTimeOffset>());
        _views = new AdminUserViews(_locks, _ports.Secrets, _ports.Mapper, _ports.Clock);
    }

    private Task<Result<AdminUserResponse>> Disable(Guid userId) =>
        new DisableUserHandler(_ports.Users, _ports.Families, _ports.Secrets, _views, _ports.Clock)
            .Handle(new DisableUserCommand(_admin, userId), CancellationToken.None).AsTask();

    /// <summary>The lock reader answers that <paramref name="user"/>'s account is locked until <paramref name="until"/>.</summary>
    private void Locked(User user, DateTimeOffset until) =>
        _locks.LockedUntilAsync(Arg.Is<IReadOnlyCollection<string>>(keys => keys.Contains(Ports.AccountKey(user.Email.Value))), Arg.Any<DateTimeOffset>(), Arg.Any<CancellationToken>())
            .Returns(new Dictionary<string, DateTimeOffset> { [Ports.AccountKey(user.Email.Value)] = until });

    [Fact]
    public async Task Disable_OwnAccount_IsForbiddenAndTouchesNothing()
    {
        var result = await new DisableUserHandler(_ports.Users, _ports.Families, _ports.Secrets, _views, _ports.Clock)
            .Handle(new DisableUserCommand(_admin, _admin), CancellationToken.None);

        Assert.Equal(ErrorCodes.Forbidden, result.Error!.Code);
        await _ports.Users.DidNotReceiveWithAnyArgs().FindByIdAsync(default, default);
        await _ports.Families.DidNotReceiveWithAnyArgs().RevokeAllForUserAsync(default, default, default!, default, default);
    }

    [Fact]
    public async Task Disable_UnknownUser_AnswersNotFound()
    {
        var result = await Disable(Guid.NewGuid());

        Assert.Equal(ErrorCodes.NotFound, result.Error!.Code);
        await _ports.Families.DidNotReceiveWithAnyArgs().RevokeAllForUserAsync(default, default, default!, default, default);
    }

    [Fact]
    public async Task Disable_User_DisablesRotatesTheStampRevokesEverySessionAndAuditsTheActor()
    {
        var user = _ports.NewUser();
        var stamp = user.SecurityStamp;

        var result = await Disable(user.Id);

        Assert.True(result.Value.Disabled);
        Assert.True(user.IsDisabled);
        Assert.NotEqual(stamp, user.SecurityStamp);
        await _ports.Families.Received(1).RevokeAllForUserAsync(
            user.Id, null, RevocationReasons.AccountDisabled, _ports.Clock.GetUtcNow(), Arg.Any<CancellationToken>());
        var audit = _ports.SingleAudit(AuditEventTypes.AccountDisabled);
        Assert.Equal(user.Id, audit.UserId);
        Assert.Equal(_admin, audit.ActorId);
    }

    private Task<Result<AdminUserResponse>> ChangeRole(Guid userId, string role) =>
        new ChangeUserRoleHandler(_ports.Users, _ports.Secrets, _views, _ports.Clock)
            .Handle(new ChangeUserRoleCommand(_admin, userId, role), CancellationToken.None).AsTask();

    [Fact]
    public async Task ChangeRole_DemoteAnAdministrator_ChangesTheRoleRotatesTheStampAndAuditsFromAndTo()
    {
        var user = _ports.NewUser();
        user.ChangeRole(UserRole.Admin, _admin, "stamp-promoted", _ports.Clock.GetUtcNow());
        _ports.ForgetEvents();

        var result = await ChangeRole(user.Id, "user");

        Assert.Equal("user", result.Value.Role);
        Assert.Equal(UserRole.User, user.Role);
        Assert.NotEqual("stamp-promoted", user.SecurityStamp);
        var audit = _ports.SingleAudit(AuditEventTypes.AccountRoleChanged);
        Assert.Equal(user.Id, audit.UserId);
        Assert.Equal(_admin, audit.ActorId);
        Assert.Equal("admin", audit.Details!["from"]);
        Assert.Equal("user", audit.Details!["to"]);
        Assert.Empty(_ports.Families.ReceivedCalls()); // sessions live on; a refresh caps them by the new role
    }

    [Fact]
    public async Task ChangeRole_OwnAccount_IsForbiddenAndTouchesNothing()
    {
        var result = await new ChangeUserRoleHandler(_ports.Users, _ports.Secrets, _views, _ports.Clock)
            .Handle(new ChangeUserRoleCommand(_admin, _admin, "user"), CancellationToken.None);

        Assert.Equal(ErrorCodes.Forbidden, result.Error!.Code);
        await _ports.Users.DidNotReceiveWithAnyArgs().FindByIdAsync(default, default);
    }

    [Fact]
    public async Task ChangeRole_UnknownUser_AnswersNotFound()
    {
        var result = await ChangeRole(Guid.NewGuid(), "admin");

        Assert.Equal(ErrorCodes.NotFound, result.Error!.Code);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Admin")]
    [InlineData("owner")]
    public void ChangeRoleValidator_RoleOtherThanAdminOrUser_Fails(string? role)
    {
        var result = new ChangeUserRoleValidator().Validate(new ChangeUserRoleCommand(_admin, Guid.NewGuid(), role));

        Assert.False(result.IsValid);
        Assert.True(new ChangeUserRoleValidator().Validate(new ChangeUserRoleCommand(_admin, Guid.NewGuid(), "admin")).IsValid);
    }

    [Fact]
    public async Task Enable_DisabledUser_EnablesAndAuditsButRevivesNoSession()
    {
        var user = _ports.NewUser();
        user.Disable(_admin, "stamp-disabled", _ports.Clock.GetUtcNow());
        _ports.ForgetEvents();

        var result = await new EnableUserHandler(_ports.Users, _views).Handle(new EnableUserCommand(_admin, user.Id), CancellationToken.None);

        Assert.False(result.Value.Disabled);
        Assert.Equal("stamp-disabled", user.SecurityStamp);
        Assert.Equal(_admin, _ports.SingleAudit(AuditEventTypes.AccountEnabled).ActorId);
        Assert.Empty(_ports.Families.ReceivedCalls());
    }

    [Fact]
    public async Task Unlock_User_ClearsEveryBudgetOfTheirAccountAndAuditsTheActor()
    {
        var user = _ports.NewUser();

        var result = await new UnlockUserHandler(_ports.Users, _ports.Throttle, _views)
            .Handle(new UnlockUserCommand(_admin, user.Id), CancellationToken.None);

        Assert.True(result.IsSuccess);
        await _ports.Throttle.Received(1).ClearAsync(Ports.AccountKey(user.Email.Value), Arg.Any<CancellationToken>());
        Assert.Equal(_admin, _ports.SingleAudit(AuditEventTypes.AccountUnlocked).ActorId);
    }

    [Fact]
    public async Task Unlock_UnknownUser_AnswersNotFoundAndClearsNothing()
    {
        var result = await new UnlockUserHandler(_ports.Users, _ports.Throttle, _views)
            .Handle(new UnlockUserCommand(_admin, Guid.NewGuid()), CancellationToken.None);

        Assert.Equal(ErrorCodes.NotFound, result.Error!.Code);
        await _ports.Throttle.DidNotReceiveWithAnyArgs().ClearAsync(default!, default);
    }

    [Fact]
    public async Task Get_LockedUser_AnswersTheLockFromTheAttemptBudgets()
    {
        var user = _ports.NewUser();
        var until = _ports.Clock.GetUtcNow().AddMinutes(7);
        Locked(user, until);

        var result = await new GetUserHandler(_ports.Users, _views).Handle(new GetUserQuery(user.Id), CancellationToken.None);

        Assert.True(result.Value.Locked);
        Assert.Equal(until, result.Value.LockedUntil);
        Assert.Equal("alice@example.com", result.Value.Email);
    }

    [Fact]
    public async Task Get_UnknownUser_AnswersNotFound()
    {
        var result = await new GetUserHandler(_ports.Users, _views).Handle(new GetUserQuery(Guid.NewGuid()), CancellationToken.None);

        Assert.Equal(ErrorCodes.NotFound, result.Error!.Code);
    }

    [Fact]
    public async Task List_WithAFragmentInAnyCase_AsksTheReaderForTheNormalisedFragmentAndAddsTheLocks()
    {
        var reader = Substitute.For<IUserReader>();
        var user = _ports.NewUser();
        var row = new AdminUserResponse(user.Id, "alice@example.com", "Alice", "user", user.CreatedAt, false, false, null, false);
        reader.ListAsync(default!, default).ReturnsForAnyArgs(new UserPage([row], 1, 50, 1));
        Locked(user, _ports.Clock.GetUtcNow().AddMinutes(3));

        var page = await new ListUsersHandler(reader, _views).Handle(new ListUsersQuery("  Alice@Ex ", null, null), CancellationToken.None);

        await reader.Received(1).ListAsync(new UserFilter("ALICE@EX", 1, ListUsersValidator.DefaultPageSize), Arg.Any<CancellationToken>());
        Assert.True(Assert.Single(page.Value.Items).Locked);
    }

    [Theory]
    [InlineData(0, null)]
    [InlineData(null, 0)]
    [InlineData(null, 101)]
    public void ListValidator_PageOrSizeOutOfRange_Fails(int? page, int? pageSize)
    {
        Assert.False(new ListUsersValidator().Validate(new ListUsersQuery(null, page, pageSize)).IsValid);
    }
}
