using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AuthPlatform.Infrastructure.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class SecurityStampsAndSpentMfaTokens : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "security_stamp_changed_at",
                table: "users",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "spent_mfa_tokens",
                columns: table => new
                {
                    token_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    expires_at = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_spent_mfa_tokens", x => x.token_id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_users_security_stamp_changed_at",
                table: "users",
                column: "security_stamp_changed_at");

            migrationBuilder.CreateIndex(
                name: "IX_spent_mfa_tokens_expires_at",
                table: "spent_mfa_tokens",
                column: "expires_at");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "spent_mfa_tokens");

            migrationBuilder.DropIndex(
                name: "IX_users_security_stamp_changed_at",
                table: "users");

            migrationBuilder.DropColumn(
                name: "security_stamp_changed_at",
                table: "users");
        }
    }
}
