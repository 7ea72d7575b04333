import JSZip from "jszip";

/**
 * A one-page PDF drawing the given content stream: text operators give it
 * a text layer, path operators only (a scan) give it none.
 */
export function makePdf(content: string): Buffer {
  const objects = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
      + "/Resources << /Font << /F1 5 0 R >> >> >>",
    `<< /Length ${Buffer.byteLength(content)} >>\nstream\n${content}\n`
      + "endstream",
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
  ];
  let out = "%PDF-1.4\n";
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(Buffer.byteLength(out));
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = Buffer.byteLength(out);
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`
    + offsets.map((o) => `${String(o).padStart(10, "0")} 00000 n \n`).join("")
    + `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\n`
    + `startxref\n${xref}\n%%EOF\n`;

  return Buffer.from(out, "latin1");
}

export const pdfWithText = (text: string) =>
  makePdf(`BT /F1 18 Tf 72 700 Td (${text}) Tj ET`);

export const pdfWithoutText = () => makePdf("0 0 m 300 300 l S");

/** A minimal Word document with one paragraph. */
export async function makeDocx(text: string): Promise<Buffer> {
  const zip = new JSZip();
  zip.file("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns='
    + '"http://schemas.openxmlformats.org/package/2006/content-types">'
    + '<Default Extension="rels" ContentType="application/vnd.openxmlformats-'
    + 'package.relationships+xml"/><Default Extension="xml" ContentType='
    + '"application/xml"/><Override PartName="/word/document.xml" '
    + 'ContentType="application/vnd.openxmlformats-officedocument.'
    + 'wordprocessingml.document.main+xml"/></Types>');
  zip.file("_rels/.rels", '<?xml version="1.0"?><Relationships xmlns='
    + '"http://schemas.openxmlformats.org/package/2006/relationships">'
    + '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
    + 'officeDocument/2006/relationships/officeDocument" '
    + 'Target="word/document.xml"/></Relationships>');
  zip.file("word/document.xml", '<?xml version="1.0"?><w:document xmlns:w='
    + '"http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    + `<w:body><w:p><w:r><w:t>${text}</w:t></w:r></w:p></w:body>`
    + "</w:document>");

  return zip.generateAsync({ type: "nodebuffer" });
}

/** A minimal OpenDocument text with one paragraph. */
export async function makeOdt(text: string): Promise<Buffer> {
  const zip = new JSZip();
  zip.file("mimetype", "application/vnd.oasis.opendocument.text");
  zip.file("content.xml", '<?xml version="1.0" encoding="UTF-8"?>'
    + '<office:document-content xmlns:office="urn:oasis:names:tc:'
    + 'opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:'
    + 'opendocument:xmlns:text:1.0"><office:body><office:text>'
    + `<text:p>${text}</text:p></office:text></office:body>`
    + "</office:document-content>");

  return zip.generateAsync({ type: "nodebuffer" });
}
