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

    private Task<Result<Application.Admin.Common.AdminUserResponse>> Disable(Guid userId) =>
        new DisableUserHandler(_ports.Users, _ports.Families, _ports.Secrets, _ports.Mapper, _ports.Clock)
            .Handle(new DisableUserCommand(_admin, userId), CancellationToken.None).AsTask();

    [Fact]
    public async Task Disable_OwnAccount_IsForbiddenAndTouchesNothing()
    {
        var result = await new DisableUserHandler(_ports.Users, _ports.Families, _ports.Secrets, _ports.Mapper, _ports.Clock)
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

    [Fact]
    public async Task Enable_DisabledUser_EnablesAndAuditsButRevivesNoSession()
    {
        var user = _ports.NewUser();
        user.Disable(_admin, "stamp-disabled", _ports.Clock.GetUtcNow());
        _ports.ForgetEvents();

        var result = await new EnableUserHandler(_ports.Users, _ports.Mapper, _ports.Clock)
            .Handle(new EnableUserCommand(_admin, user.Id), CancellationToken.None);

        Assert.False(result.Value.Disabled);
        Assert.Equal("stamp-disabled", user.SecurityStamp);
        Assert.Equal(_admin, _ports.SingleAudit(AuditEventTypes.AccountEnabled).ActorId);
        Assert.Empty(_ports.Families.ReceivedCalls());
    }

    [Fact]
    public async Task Unlock_LockedUser_ClearsTheLockAndAuditsTheActor()
    {
        var user = Ports.LockedInStore(_ports.NewUser(), _ports.Clock.GetUtcNow().AddMinutes(10));

        var result = await new UnlockUserHandler(_ports.Users, _ports.Mapper, _ports.Clock)
            .Handle(new UnlockUserCommand(_admin, user.Id), CancellationToken.None);

        Assert.False(result.Value.Locked);
        Assert.False(user.IsLockedOut(_ports.Clock.GetUtcNow()));
        Assert.Equal(_admin, _ports.SingleAudit(AuditEventTypes.AccountUnlocked).ActorId);
    }

    [Fact]
    public async Task Get_UnknownUser_AnswersNotFound()
    {
        var result = await new GetUserHandler(_ports.Users, _ports.Mapper, _ports.Clock)
            .Handle(new GetUserQuery(Guid.NewGuid()), CancellationToken.None);

        Assert.Equal(ErrorCodes.NotFound, result.Error!.Code);
    }

    [Fact]
    public async Task List_WithAFragmentInAnyCase_AsksTheReaderForTheNormalisedFragmentAndDefaultPage()
    {
        var reader = Substitute.For<IUserReader>();

        await new ListUsersHandler(reader, _ports.Clock).Handle(new ListUsersQuery("  Smith@Ex ", null, null), CancellationToken.None);

        await reader.Received(1).ListAsync(
            new UserFilter("SMITH@EX", 1, ListUsersValidator.DefaultPageSize, _ports.Clock.GetUtcNow()), Arg.Any<CancellationToken>());
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
