using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portal.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class VoteTickets : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<string>(
                name: "ContributorId",
                table: "Votes",
                type: "TEXT",
                nullable: true,
                oldClrType: typeof(string),
                oldType: "TEXT");

            migrationBuilder.AddColumn<long>(
                name: "TicketId",
                table: "Votes",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Voters",
                table: "Campaigns",
                type: "TEXT",
                maxLength: 32,
                nullable: false,
                defaultValue: "");

            migrationBuilder.CreateTable(
                name: "VoteTickets",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Code = table.Column<string>(type: "TEXT", unicode: false, maxLength: 16, nullable: false),
                    CampaignId = table.Column<int>(type: "INTEGER", nullable: false),
                    EstablishmentId = table.Column<int>(type: "INTEGER", nullable: false),
                    Source = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    CollectedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    MintedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UsedAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_VoteTickets", x => x.Id);
                    table.ForeignKey(
                        name: "FK_VoteTickets_Campaigns_CampaignId",
                        column: x => x.CampaignId,
                        principalTable: "Campaigns",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_VoteTickets_Establishments_EstablishmentId",
                        column: x => x.EstablishmentId,
                        principalTable: "Establishments",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Votes_TicketId",
                table: "Votes",
                column: "TicketId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_VoteTickets_CampaignId_EstablishmentId",
                table: "VoteTickets",
                columns: new[] { "CampaignId", "EstablishmentId" });

            migrationBuilder.CreateIndex(
                name: "IX_VoteTickets_Code",
                table: "VoteTickets",
                column: "Code",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_VoteTickets_EstablishmentId",
                table: "VoteTickets",
                column: "EstablishmentId");

            migrationBuilder.AddForeignKey(
                name: "FK_Votes_VoteTickets_TicketId",
                table: "Votes",
                column: "TicketId",
                principalTable: "VoteTickets",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_Votes_VoteTickets_TicketId",
                table: "Votes");

            migrationBuilder.DropTable(
                name: "VoteTickets");

            migrationBuilder.DropIndex(
                name: "IX_Votes_TicketId",
                table: "Votes");

            migrationBuilder.DropColumn(
                name: "TicketId",
                table: "Votes");

            migrationBuilder.DropColumn(
                name: "Voters",
                table: "Campaigns");

            migrationBuilder.AlterColumn<string>(
                name: "ContributorId",
                table: "Votes",
                type: "TEXT",
                nullable: false,
                defaultValue: "",
                oldClrType: typeof(string),
                oldType: "TEXT",
                oldNullable: true);
        }
    }
}
