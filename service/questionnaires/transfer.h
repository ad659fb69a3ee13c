/*
 * transfer.h - a questionnaire version as a file: CSV for people who edit
 * sheets in Excel, JSON for systems.
 *
 * Export writes a published or draft version; import reads either format
 * into the template's new draft, all or nothing, reporting every bad row
 * and cell (/rows/17/answer_type, rows numbered as the spreadsheet shows
 * them, the header being row 1). A file exported, imported and exported
 * again gives the same bytes. The CSV layout is in docs/questionnaires.md.
 */
#ifndef ITAKU_QUESTIONNAIRE_TRANSFER_H
#define ITAKU_QUESTIONNAIRE_TRANSFER_H

struct req;

int transfer_export_csv(struct req *r);
int transfer_export_json(struct req *r);
int transfer_import(struct req *r);

#endif
