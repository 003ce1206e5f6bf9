/**
 * The core's `sample_schema()` (crates/core/src/form/tests.rs) as JSON, with its `valid_values()`: one field of
 * each kind, a condition, a fixed-row and an added-rows table with sums. Tests of this folder use it, so the
 * page and the server are checked against the same form.
 */
import type { FormSchema, FormValues } from './schema'

export function sampleSchema(): FormSchema {
  return {
    title: '样例申报书',
    sections: [
      {
        key: 'basic',
        title: '基本情况',
        fields: [
          { key: 'org_name', label: '单位名称', type: 'reference', source: 'org.name' },
          { key: 'intro', label: '企业简介', type: 'long_text', max_length: 50, min_length: 2, required: true },
          { key: 'contact', label: '联系人', type: 'text', max_length: 10, required: true },
          { key: 'staff', label: '研发人员', type: 'number', unit: '人', min: 0, max: 100000, required: true },
          { key: 'ratio', label: '研发投入占比', type: 'number', unit: '%', min: 0, max: 100, decimals: 2 },
          { key: 'capital', label: '注册资本', type: 'money', max: 1000000 },
          { key: 'founded', label: '成立日期', type: 'date', min: '1949-10-01', required: true },
          { key: 'period', label: '项目周期', type: 'date_range' },
          { key: 'domain', label: '申报方向', type: 'choice', options: ['装备', '软件'], other: true, required: true },
          { key: 'needs', label: '转型需求', type: 'choice', options: ['研发设计', '生产制造', '经营管理'], multiple: true, other: true, max_selected: 3 },
          { key: 'has_patents', label: '是否拥有发明专利', type: 'yes_no', required: true },
          { key: 'patents', label: '发明专利数', type: 'number', unit: '项', min: 1, required: true, when: { field: 'has_patents', equals: true } },
          { key: 'note', label: '说明', type: 'notice', text: '以下内容据实填写' },
          { key: 'credit_code', label: '统一社会信用代码', type: 'text', format: 'uscc', max_length: 18, required: true },
          { key: 'mobile', label: '联系电话', type: 'text', format: 'phone', max_length: 20 },
          { key: 'region', label: '所在地区', type: 'region', required: true },
        ],
      },
      {
        key: 'finance',
        title: '经营情况',
        fields: [
          {
            key: 'years',
            label: '近三年经营情况',
            type: 'table',
            row_label: '年度',
            fixed_rows: ['2021年', '2022年', '2023年'],
            required: true,
            columns: [
              { key: 'revenue', label: '营业收入', type: 'money', required: true },
              { key: 'rd', label: '研发人员', type: 'number', unit: '人', min: 0 },
            ],
          },
          { key: 'revenue_total', label: '三年营业收入合计', type: 'computed', sum: { table: 'years', column: 'revenue' } },
          {
            key: 'cases',
            label: '典型案例',
            type: 'table',
            min_rows: 1,
            max_rows: 5,
            columns: [
              { key: 'client', label: '客户名称', type: 'text', required: true, max_length: 20 },
              { key: 'amount', label: '合同金额', type: 'money' },
              { key: 'kind', label: '类型', type: 'choice', options: ['新建', '改造'] },
            ],
          },
          { key: 'cases_total', label: '案例金额合计', type: 'computed', sum: { table: 'cases', column: 'amount' } },
          { key: 'license', label: '营业执照', type: 'file', accept: ['pdf', 'jpg'], max_count: 2, required: true },
        ],
      },
    ],
  }
}

export function validValues(): FormValues {
  return {
    intro: '专注于智能装备研发',
    contact: '张三',
    credit_code: '91440300708461136T',
    mobile: '138 0013 8000',
    region: '441302',
    staff: '25',
    ratio: '3.75',
    capital: '1500.5',
    founded: '2010-06-01',
    period: { start: '2024-01-01', end: '2024-12-31' },
    domain: '其他',
    domain_other: '工业互联网平台',
    needs: ['研发设计', '其他'],
    needs_other: '绿色低碳',
    has_patents: true,
    patents: 6,
    years: [{ revenue: '1200', rd: '20' }, { revenue: '1500.25', rd: 22 }, { revenue: '1800.000001' }],
    cases: [{ client: '甲公司', amount: '30', kind: '改造' }],
    license: ['f-1'],
  }
}
