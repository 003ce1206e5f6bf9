/**
 * Test data of the product form: the server's sample product (crates/server/src/providers/forms.rs) as JSON,
 * complete and valid, named `name` — for the product form's tests and those of the forms holding products.
 * Prices are 万元 text as the page writes them (the server's sample still has an older draft's numbers).
 */
export function productJson(name = 'MES') {
  return {
    name,
    nature: '自有产品',
    ip_proof_file_ids: [],
    categories: ['生产管控', 'MES'],
    category_other: '',
    description: '生产执行系统',
    deploy_architecture: 'B/S',
    deploy_mode: '云端部署',
    deploy_period: '30天',
    purchase_mode: '按年订阅',
    price_min: '5',
    price_max: '20',
    discount_rate: 10,
    industry_code: 'C',
    sub_industries: '',
    scenarios: '离散制造车间',
    cases: [
      { enterprise: '甲', contract_file_ids: ['f1'] },
      { enterprise: '乙', contract_file_ids: ['f2'] },
      { enterprise: '丙', contract_file_ids: ['f3'] },
    ],
    awards: '未获奖',
    award_note: '',
    other_note: '',
    evidence_file_ids: [],
  }
}
